"""The staff roles, each a Django group. Permissions are granted in migrations, per issue."""

from enum import Enum


class Role(Enum):
    CASE_OFFICER = "Case officers"
    SUPERVISOR = "Supervisors"
    EXECUTIVE = "Executives"
    NEWS_EDITOR = "News editors"
    # Staff of an agency cases are forwarded to; complaints.AgencyMember says which agency.
    AGENCY_STAFF = "Agency staff"

    @property
    def group_name(self) -> str:
        return self.value
