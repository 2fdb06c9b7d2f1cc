"""Issue 22, item 6: a duty calendar feed URL carries a random token per deputy, not a signature
over the deputy's id with the secret key (forgeable wherever the key is known, as under
`make run`, and never revocable). The deputy and staff reset it; the old URL then answers 404."""

from django.core import signing

from accounts.models import Role
from audit.models import AuditEntry
from deputies.models import Deputy
from stations import calendar
from tests.factories import DeputyFactory, TownshipFactory


def feed(client, token):
    return client.get(f"/stations/duty/feed/{token}.ics")


def test_a_feed_signed_with_the_secret_key_is_not_accepted(client, deputy_user):
    deputy = deputy_user.deputy
    forged = signing.Signer(salt="stations.duty-feed").sign(str(deputy.pk))
    assert feed(client, forged).status_code == 404
    assert feed(client, str(deputy.pk)).status_code == 404


def test_the_token_is_random_and_per_deputy(deputy_user, township):
    other = DeputyFactory(township=township)
    token = calendar.feed_token(deputy_user.deputy)
    assert len(token) >= 40 and token != calendar.feed_token(other)
    assert str(deputy_user.deputy.pk) not in token.split(":")


def test_the_deputy_resets_their_feed_and_the_old_url_answers_404(client, deputy_user, login):
    deputy = deputy_user.deputy
    old = calendar.feed_token(deputy)
    assert feed(client, old).status_code == 200
    browser = login(deputy_user)
    # The page's link follows the host it is served on (core.links): compare the path.
    assert f"/stations/duty/feed/{old}.ics" in browser.get("/stations/my-duty/").content.decode()
    response = browser.post(f"/stations/duty/feed/reset/{deputy.pk}/")
    assert response.status_code == 302 and response.url == "/stations/my-duty/"
    new = Deputy.objects.get(pk=deputy.pk).feed_token
    assert new != old
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200


def test_staff_reset_a_deputys_feed_logged(client, deputy_user, staff, login):
    deputy = deputy_user.deputy
    old = calendar.feed_token(deputy)
    assert login(staff).post(f"/stations/duty/feed/reset/{deputy.pk}/").status_code == 302
    assert feed(client, old).status_code == 404
    entry = AuditEntry.objects.get(actor=staff, object_id=str(deputy.pk), changes__feed_token="reset")
    assert old not in str(entry.changes)


def test_nobody_else_resets_a_deputys_feed(deputy_user, make_user, township_staff, login, township):
    deputy = deputy_user.deputy
    old = calendar.feed_token(deputy)
    other_deputy_user = make_user(Role.DEPUTY, username="deputy2")
    DeputyFactory(township=TownshipFactory(name="白沙镇"), user=other_deputy_user)
    for user in (other_deputy_user, township_staff):
        assert login(user).post(f"/stations/duty/feed/reset/{deputy.pk}/").status_code in (403, 404)
    assert Deputy.objects.get(pk=deputy.pk).feed_token == old


def test_the_token_never_reaches_the_audit_log(staff, login, deputy_user):
    deputy = deputy_user.deputy
    deputy.name = "张三丽改"
    deputy.save()
    assert not AuditEntry.objects.filter(changes__has_key="feed_token", action="update",
                                         changes__feed_token__isnull=False).exclude(
        changes__feed_token="reset").exists()
