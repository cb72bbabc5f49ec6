"""Base content every installation needs: the home page as the site root.

Used by the data migration (with historical models) and after every ``migrate`` or test
flush (``home.apps``), so a database emptied by a test run gets it back.
"""

from core import province


def create_home_page(*, Page, HomePage, Site, ContentType, Locale) -> None:
    if HomePage.objects.exists():
        return
    title = province.current().centre_name("th")  # the centre's usual name; editors may change it
    locale = Locale.objects.get_or_create(language_code="th")[0]
    root = Page.objects.filter(depth=1).first()
    if root is None:
        page_ct, _ = ContentType.objects.get_or_create(model="page", app_label="wagtailcore")
        root = Page.objects.create(
            title="Root",
            slug="root",
            content_type=page_ct,
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            locale=locale,
        )
    # Wagtail's installer leaves a "Welcome to Wagtail" page at 00010001; replace it.
    Page.objects.filter(depth=2, content_type__model="page").delete()
    Site.objects.all().delete()
    home_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    path = "00010001"
    while Page.objects.filter(path=path).exists():
        path = f"0001{int(path[4:]) + 1:04d}"
    home = HomePage.objects.create(
        title=title,
        draft_title=title,
        slug="home",
        content_type=home_ct,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=title
    )
