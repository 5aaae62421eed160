"""Who may see a manager's ethnicity. It is sensitive personal data (Law 91/2025/QH15):
kept only with recorded consent and shown only to the Union officers and approvers who
keep or review the records of the unit; not to read-only viewers, not to partner
agencies. Built on the predicates of htxnu.accounts.permissions."""

from htxnu.accounts import permissions


def can_see_ethnicity(user, unit) -> bool:
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    organisation = user.organisation
    return bool(
        (user.is_officer or user.is_approver)
        and organisation is not None
        and organisation.is_union
        and permissions.can_view_unit(user, unit)
    )
