"""What the news section always has: the index page at /news/ and the editors' page rights.

Run after every migrate (and after a test flush) from ``news.apps``. Page permissions are rows
of GroupPagePermission on the index (so they cover every news item under it), not Django
permissions, which is why accounts.setup cannot grant them. Pictures and documents are the
same: Wagtail reads only GroupCollectionPermission rows for them (on the root collection, so
every collection), never the group's Django permissions.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import Role
from core import centre

INDEX_TITLE = "ข่าวสารศูนย์ดำรงธรรม"
INDEX_SLUG = "news"
INDEX_INTRO = "ข่าวประชาสัมพันธ์ กิจกรรม และประกาศของ{centre}"
EDITOR_PAGE_PERMISSIONS = ("add", "change", "publish")
EDITOR_COLLECTION_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)


def ensure_news_index():
    """The index under the site's root page (the home page), made once."""
    from wagtail.models import Site

    from news.models import NewsIndexPage

    index = NewsIndexPage.objects.first()
    if index is not None:
        return index
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:
        return None
    home = site.root_page
    index = NewsIndexPage(
        title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO.format(**centre.seed_texts())
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def ensure_editor_page_permissions(index) -> None:
    from wagtail.models import GroupPagePermission

    group, _ = Group.objects.get_or_create(name=Role.NEWS_EDITOR.group_name)
    for permission_type in EDITOR_PAGE_PERMISSIONS:
        exists = GroupPagePermission.objects.filter(
            group=group, page=index, permission__codename=f"{permission_type}_page"
        ).exists()
        if not exists:
            GroupPagePermission.objects.create(
                group=group, page=index, permission_type=permission_type
            )


def ensure_editor_collection_permissions() -> None:
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission

    # Wagtail's migration makes the root collection; a database flush (tests) removes it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    group, _ = Group.objects.get_or_create(name=Role.NEWS_EDITOR.group_name)
    for name in EDITOR_COLLECTION_PERMISSIONS:
        app_label, codename = name.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


@transaction.atomic
def ensure_news_setup() -> None:
    index = ensure_news_index()
    if index is not None:
        ensure_editor_page_permissions(index)
    ensure_editor_collection_permissions()
