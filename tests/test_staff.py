"""Onboarding clinic staff: a role lets them sign in, each role says what it may do,
raw permissions and sign-in records are for superusers only."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from tests.helpers import admin_save, person, visible_text

pytestmark = pytest.mark.django_db


def _role(name: str) -> Group:
    return Group.objects.get(name=name)


def _staff(user) -> bool:
    return get_user_model().objects.get(pk=user.pk).is_staff


@pytest.fixture
def manager(client):
    """Someone who manages accounts (may change users and groups) without being a
    superuser."""
    user = person("manager", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["auth", "axes"],
            codename__regex=r"^(view|change|add|delete)_",
        )
    )
    client.force_login(user)
    return client


class TestStaffFollowsRoles:
    @pytest.mark.parametrize("role", ["Editor", "Medical reviewer", "Translator"])
    def test_joining_a_role_from_the_user_side_lets_them_sign_in(self, client, role):
        nurse = person("nurse")
        client.force_login(nurse)
        assert client.get("/admin/").status_code == 302  # to the sign-in page
        nurse.groups.add(_role(role))
        assert nurse.is_staff and _staff(nurse)
        assert client.get("/admin/").status_code == 200

    def test_joining_from_the_group_side_lets_them_sign_in(self, client):
        nurse = person("nurse")
        _role("Translator").user_set.add(nurse)
        assert _staff(nurse)
        nurse.save()  # an old copy of the user saved again keeps the new status
        assert _staff(nurse)
        client.force_login(nurse)
        assert client.get("/admin/").status_code == 200

    def test_a_group_that_is_not_a_role_changes_nothing(self):
        nurse = person("nurse")
        nurse.groups.add(Group.objects.create(name="Newsletter"))
        assert not _staff(nurse)

    def test_removing_the_last_role_removes_staff_status(self, client):
        nurse = person("nurse")
        nurse.groups.add(_role("Editor"), _role("Translator"))
        nurse.groups.remove(_role("Editor"))
        assert _staff(nurse)  # still a translator
        _role("Translator").user_set.remove(nurse)
        assert not _staff(nurse)
        client.force_login(nurse)
        assert client.get("/admin/").status_code == 302

    @pytest.mark.parametrize("side", ["user", "group"])
    def test_clearing_roles_removes_staff_status(self, side):
        nurse = person("nurse")
        nurse.groups.add(_role("Editor"))
        if side == "user":
            nurse.groups.clear()
            assert not nurse.is_staff
        else:
            _role("Editor").user_set.clear()
        assert not _staff(nurse)

    def test_a_superuser_keeps_staff_status_without_a_role(self):
        boss = get_user_model().objects.create_superuser("boss", "b@example.org", "x")
        boss.groups.add(_role("Editor"))
        boss.groups.remove(_role("Editor"))
        assert _staff(boss)

    def test_the_user_form_sets_staff_status_from_the_role(self, admin_client):
        nurse = person("nurse")
        url = f"/admin/auth/user/{nurse.pk}/change/"
        response = admin_save(admin_client, url, groups=[_role("Editor").pk])
        assert response.status_code == 302
        assert _staff(nurse)
        # Unticking staff status while the role stays does not lock them out...
        response = admin_save(admin_client, url, is_staff="")
        assert _staff(nurse)
        # ...removing the role does.
        fields = {"groups": []}
        response = admin_save(admin_client, url, **fields)
        assert response.status_code == 302
        assert not _staff(nurse)


class TestRolesAreDescribed:
    @pytest.mark.parametrize(
        ("language", "texts"),
        [
            (
                "en",
                [
                    "Changes the French text only",
                    "publishes or unpublishes items",
                    "Changes to published pages wait for a medical reviewer",
                    "A role lets its members sign in",
                ],
            ),
            (
                "fr",
                [
                    "Modifie seulement le texte français",
                    "publie ou retire des éléments",
                    "attendent une réviseure ou un réviseur médical",
                    "Un rôle permet à ses membres de se connecter",
                ],
            ),
        ],
    )
    def test_the_user_form_describes_each_role(self, admin_client, language, texts):
        nurse = person("nurse")
        response = admin_client.get(
            f"/admin/auth/user/{nurse.pk}/change/", HTTP_ACCEPT_LANGUAGE=language
        )
        text = visible_text(response)
        for expected in texts:
            assert expected in text

    def test_the_group_list_and_form_say_what_each_role_may_do(self, admin_client):
        text = visible_text(admin_client.get("/admin/auth/group/"))
        assert "what it may do" in text.lower()
        assert "Changes the French text only" in text
        editor = _role("Editor")
        html = admin_client.get(f"/admin/auth/group/{editor.pk}/change/")
        assert "Writes and changes the guide" in visible_text(html)

    def test_the_review_column_says_next_review_due(self, admin_client):
        text = visible_text(admin_client.get("/admin/neuroinfo/treatment/"))
        assert "Next review due" in text
        text = visible_text(
            admin_client.get("/admin/neuroinfo/treatment/", HTTP_ACCEPT_LANGUAGE="fr")
        )
        assert "Prochaine révision prévue" in text


class TestSuperusersOnly:
    def test_superusers_see_raw_permissions_and_sign_in_records(self, admin_client):
        nurse = person("nurse")
        html = admin_client.get(f"/admin/auth/user/{nurse.pk}/change/").content
        assert b'name="user_permissions"' in html and b'name="is_superuser"' in html
        group = admin_client.get(f"/admin/auth/group/{_role('Editor').pk}/change/")
        assert b'name="permissions"' in group.content
        assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
        assert "/admin/axes/" in admin_client.get("/admin/").content.decode()

    def test_others_never_see_or_set_raw_permissions(self, manager):
        nurse = person("nurse")
        url = f"/admin/auth/user/{nurse.pk}/change/"
        html = manager.get(url).content.decode()
        assert 'name="groups"' in html
        assert 'name="user_permissions"' not in html
        assert 'name="is_superuser"' not in html
        publish = Permission.objects.get(codename="publish_content")
        response = admin_save(
            manager, url, user_permissions=[publish.pk], is_superuser="on"
        )
        assert response.status_code == 302
        nurse.refresh_from_db()
        assert not nurse.is_superuser and not nurse.user_permissions.exists()
        editor = _role("Editor")
        before = set(editor.permissions.values_list("pk", flat=True))
        group_url = f"/admin/auth/group/{editor.pk}/change/"
        assert 'name="permissions"' not in manager.get(group_url).content.decode()
        admin_save(manager, group_url, permissions=[publish.pk], name="Boss")
        editor.refresh_from_db()
        assert editor.name == "Editor"
        assert set(editor.permissions.values_list("pk", flat=True)) == before

    def test_others_cannot_open_sign_in_records(self, manager):
        AccessAttempt.objects.create(
            username="someone", ip_address="10.0.0.1", failures_since_start=1
        )
        for path in (
            "/admin/axes/accessattempt/",
            "/admin/axes/accesslog/",
            "/admin/axes/accessfailurelog/",
        ):
            assert manager.get(path).status_code == 403, path
        assert "/admin/axes/" not in manager.get("/admin/").content.decode()
        assert AccessAttempt.objects.filter(username="someone").exists()
