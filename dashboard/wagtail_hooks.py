"""The seven figures on the Wagtail admin home, for supervisors (current fiscal year)."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from accounts.roles import is_supervisor
from dashboard.forms import Filters
from dashboard.report import Report


class DashboardFiguresPanel(Component):
    name = "dashboard_figures"
    template_name = "dashboard/admin_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        return {"report": Report.build(Filters.for_fiscal_year())}


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if is_supervisor(request.user):
        panels.append(DashboardFiguresPanel())
