import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
application = get_wsgi_application()

# The search's word list (jieba, about a second to load): loaded as the worker starts, in the
# background, not by the first search.
from core.search import warm_up  # noqa: E402

warm_up()
