from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from htxnu.core import audit
from htxnu.core.history import history_for
from htxnu.core.models import AuditEntry
from htxnu.core.paging import page_of, query_without_page
from htxnu.core.units import active_unit
from htxnu.geo.scoping import get_visible_or_404
from htxnu.text import search_key

from . import permissions, services
from .forms import UserCreateForm, UserForm
from .models import Organisation, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.log(actor=self.request.user, action=AuditEntry.Action.UPDATE, instance=self.request.user,
                  note=_("Password changed"))
        return response


def _require_user_admin(user) -> None:
    if not (user.is_superuser or user.is_unit_admin):
        raise PermissionDenied


def _organisations_for_new_users(request):
    """Organisations of the active unit and of the units directly below it."""
    unit = active_unit(request)
    return (
        Organisation.objects.visible_to(request.user)
        .filter(Q(unit=unit) | Q(unit__parent=unit, unit__valid_to__isnull=True), is_active=True)
        .order_by("unit__level", "name")
    )


@login_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    _require_user_admin(request.user)
    users = User.objects.visible_to(request.user).select_related("organisation__unit").order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        key = search_key(q)
        users = users.filter(
            Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organisation__search_key__contains=key)
        )
    return render(request, "accounts/user_list.html", {
        "page": page_of(request, users, 50), "q": q, "query": query_without_page(request),
    })


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_user_admin(request.user)
    organisations = _organisations_for_new_users(request)
    form = UserCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            actor=request.user,
            username=data["username"],
            password=data["password1"],
            organisation=data["organisation"],
            **{k: data[k] for k in ("full_name", "email", "phone", "is_officer", "is_approver", "is_unit_admin")},
        )
        messages.success(request, _("Account %(username)s created.") % {"username": user.username})
        return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_admin(request.user)
    target = get_visible_or_404(User.objects.select_related("organisation__unit"), request.user, pk=pk)
    if not permissions.can_manage_users(request.user, target.organisation):
        raise PermissionDenied
    form = UserForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        services.user_update(actor=request.user, user=target, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("accounts:user", pk=target.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "target": target, "history": history_for(target), "password_form": SetPasswordForm(target)},
    )


@login_required
@require_http_methods(["POST"])
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit administrator sets a new password for a user who forgot theirs."""
    _require_user_admin(request.user)
    target = get_visible_or_404(User.objects.select_related("organisation__unit"), request.user, pk=pk)
    if not permissions.can_manage_users(request.user, target.organisation):
        raise PermissionDenied
    form = SetPasswordForm(target, request.POST)
    if form.is_valid():
        services.user_set_password(actor=request.user, user=target, password=form.cleaned_data["new_password1"])
        messages.success(request, _("New password set. Give it to the user in person or by phone."))
        return redirect("accounts:user", pk=target.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": UserForm(instance=target), "target": target, "history": history_for(target), "password_form": form},
    )
