"""gunicorn reads this file from the working directory (the image's /app) on every start.

Access log lines leave out query strings and the Referer (which repeats the previous page's): a
search by mobile number (/privacy/?phone=…), filters and codes in a URL are personal data or
secrets that have no place in a log."""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'
