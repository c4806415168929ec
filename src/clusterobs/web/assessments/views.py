"""Pages of the self-assessments: start, answer in steps (saved at each step), resume through the private link,
result with radar chart, guidance, comparison and the region's own data; PDF and CSV; public summary."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusterobs.assessment import AnswerError, missing
from clusterobs.web.assessments import exports, selectors, services
from clusterobs.web.assessments.forms import OrganisationStartForm, RegionStartForm, StepForm
from clusterobs.web.assessments.models import Assessment

SESSION_KEY = "assessment_tokens"
View = Callable[..., HttpResponse]


def private(view: View) -> View:
    """Pages reached by a private or public token: never cached, never indexed, no Referer to other sites."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        # same-origin: the token never leaves in a Referer to another site; "no-referrer" would make browsers
        # send "Origin: null" with the forms, which Django's CSRF check refuses
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def _remember(request: HttpRequest, token: str) -> None:
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    request.session[SESSION_KEY] = [*tokens, token][-50:]


def _steps(assessment: Assessment) -> list[dict[str, Any]]:
    q = assessment.shown().questionnaire
    out = []
    for i, d in enumerate(q.dimensions, start=1):
        answered = sum(1 for x in d.scored if assessment.answers.get(x.id))
        out.append({"n": i, "id": d.id, "title": d.title, "answered": answered, "total": len(d.scored),
                    "done": answered == len(d.scored),
                    "url": reverse("assessments:step", args=[assessment.token, i])})
    return out


def _private_url(request: HttpRequest, assessment: Assessment) -> str:
    return request.build_absolute_uri(reverse("assessments:overview", args=[assessment.token]))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    mine = selectors.assessment_list(owner=request.user, tokens=request.session.get(SESSION_KEY, []))
    return render(request, "assessments/index.html", {
        "offered": [v.shown() for v in selectors.questionnaires_offered()],
        "mine": mine, "logged_in": request.user.is_authenticated})


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, key: str) -> HttpResponse:
    version = selectors.questionnaire_current(key)
    shown = version.shown()
    q = shown.questionnaire
    regions: list[dict[str, str]] = []
    if q.subject == "region":
        # ?region=DE11 pre-fills the code (a link from a region's page)
        form: RegionStartForm | OrganisationStartForm = RegionStartForm(
            request.POST or None, initial={"region": request.GET.get("region", "")[:16]})
        regions = selectors.region_choices()
    else:
        form = OrganisationStartForm(request.POST or None, questionnaire=q)
    if request.method == "POST" and form.is_valid():
        if q.subject == "region":
            region = form.cleaned_data["region"]
            subject = {"region": region["code"], "region_name": str(region["name"]),
                       "country": str(region["country"])[:2]}
        else:
            country = form.cleaned_data["country"]
            subject = {"name": form.cleaned_data["name"], "size_class": form.cleaned_data["size_class"],
                       "country": country, "country_group": selectors.country_group_of(q, country)}
        assessment = services.assessment_start(version=version, owner=request.user, **subject)
        _remember(request, assessment.token)
        messages.info(request, _("Your assessment has started. Keep its private link to come back later: "
                                 "anyone with the link can see and change it."))
        return HttpResponseRedirect(reverse("assessments:step", args=[assessment.token, 1]))
    return render(request, "assessments/start.html", {"questionnaire": q, "shown": shown, "version": version,
                                                      "form": form, "regions": regions},
                  status=400 if form.errors else 200)


@private
@require_GET
def overview(request: HttpRequest, token: str) -> HttpResponse:
    assessment = selectors.assessment_get(token)
    _remember(request, token)
    shown = assessment.shown()
    q = shown.questionnaire
    steps = _steps(assessment)
    todo = missing(q, assessment.answers)
    return render(request, "assessments/overview.html", {
        "a": assessment, "questionnaire": q, "shown": shown, "steps": steps, "todo": len(todo),
        "next_step": next((s for s in steps if not s["done"]), None), "private_url": _private_url(request, assessment)})


@private
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, token: str, n: int) -> HttpResponse:
    assessment = selectors.assessment_get(token)
    shown = assessment.shown()  # the same questions, values and scores in every language: only the texts differ
    q = shown.questionnaire
    if not 1 <= n <= len(q.dimensions):
        raise Http404("no such step")
    dimension = q.dimensions[n - 1]
    if request.method == "POST":
        form = StepForm(request.POST, dimension=dimension)
        valid = form.is_valid()
        errors = services.assessment_save_answers(assessment=assessment, answers=form.valid_answers())
        for qid, reason in errors.items():
            if qid in form.fields and qid not in form.errors:
                form.add_error(qid, reason)
                valid = False
        action = request.POST.get("action", "next")
        # "required" only means not answered yet: saving for later and going back are fine; anything else
        # (a text too long) keeps the page, with every typed answer, until it is fixed
        hard = [k for k, errs in form.errors.as_data().items() if any(e.code != "required" for e in errs)]
        if not hard and action == "back" and n > 1:
            return HttpResponseRedirect(reverse("assessments:step", args=[token, n - 1]))
        if not hard and action == "save":
            messages.success(request, _("Your answers are saved. Come back any time through your private link."))
            return HttpResponseRedirect(reverse("assessments:overview", args=[token]))
        if valid and action == "next":
            if n < len(q.dimensions):
                return HttpResponseRedirect(reverse("assessments:step", args=[token, n + 1]))
            return HttpResponseRedirect(reverse("assessments:overview", args=[token]) + "#finish")
        status = 400
    else:
        form = StepForm(initial=assessment.answers, dimension=dimension)
        status = 200
    return render(request, "assessments/step.html", {
        "a": assessment, "questionnaire": q, "shown": shown, "dimension": dimension, "form": form, "n": n,
        "total": len(q.dimensions), "steps": _steps(assessment), "private_url": _private_url(request, assessment),
        "autosave_url": reverse("assessments:autosave", args=[token, n])}, status=status)


@private
@require_POST
def autosave(request: HttpRequest, token: str, n: int) -> JsonResponse:
    """The step's answers saved in the background (JavaScript): every valid one, the reasons of the others."""
    assessment = selectors.assessment_get(token)
    q = assessment.questionnaire_def()
    if not 1 <= n <= len(q.dimensions):
        raise Http404("no such step")
    form = StepForm(request.POST, dimension=q.dimensions[n - 1])
    form.is_valid()
    given = {k for k in form.fields if k in request.POST}
    answers = {k: v for k, v in form.valid_answers().items() if k in given}
    errors = services.assessment_save_answers(assessment=assessment, answers=answers)
    errors.update({k: "; ".join(str(e) for e in v) for k, v in form.errors.items() if k in given})
    return JsonResponse({"saved": sorted(k for k in answers if k not in errors), "errors": errors})


@private
@require_POST
def finish(request: HttpRequest, token: str) -> HttpResponse:
    assessment = selectors.assessment_get(token)
    try:
        services.assessment_complete(assessment=assessment)
    except AnswerError as exc:
        q = assessment.questionnaire_def()  # only its structure is used
        first = next(i for i, d in enumerate(q.dimensions, 1) if any(x.id in exc.errors for x in d.questions))
        messages.error(request, _("%(n)s questions still need an answer.") % {"n": len(exc.errors)})
        return HttpResponseRedirect(reverse("assessments:step", args=[token, first]))
    return HttpResponseRedirect(reverse("assessments:result", args=[token]))


def _completed(token: str) -> Assessment:
    assessment = selectors.assessment_get(token)
    if not assessment.completed:
        raise Http404("not completed")
    return assessment


@private
@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    assessment = selectors.assessment_get(token)
    if not assessment.completed:
        return HttpResponseRedirect(reverse("assessments:overview", args=[token]))
    ctx = exports.result_context(assessment)
    ctx["chart"] = exports.chart_slot(assessment, ctx, png=reverse("assessments:radar", args=[token, "png"]),
                                      svg=reverse("assessments:radar", args=[token, "svg"]))
    ctx["private_url"] = _private_url(request, assessment)
    if assessment.public_token:
        ctx["public_url"] = request.build_absolute_uri(reverse("assessments:public", args=[assessment.public_token]))
    return render(request, "assessments/result.html", ctx)


@private
@require_GET
def result_pdf(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _completed(token)
    response = HttpResponse(exports.result_pdf(assessment, base_url=request.build_absolute_uri("/")),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(assessment)}.pdf"'
    return response


@private
@require_GET
def answers_csv(request: HttpRequest, token: str) -> HttpResponse:
    assessment = selectors.assessment_get(token)
    response = HttpResponse(exports.answers_csv(assessment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(assessment)}_answers.csv"'
    return response


@private
@require_GET
def radar(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    return exports.radar_response(_completed(token), fmt)


@private
@require_POST
def publish(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _completed(token)
    if assessment.questionnaire_def().subject != "organisation":
        raise Http404("only the benchmark has a public summary")
    services.assessment_publish(assessment=assessment, publish=request.POST.get("publish") == "1")
    messages.success(request, _("The public summary link is on.") if assessment.public_token
                     else _("The public summary link is off; the old link no longer works."))
    return HttpResponseRedirect(reverse("assessments:result", args=[token]) + "#publish")


@private
@require_POST
def delete(request: HttpRequest, token: str) -> HttpResponse:
    """Delete the assessment (the form asks to confirm); its links answer 404 afterwards."""
    assessment = selectors.assessment_get(token)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the deletion."))
        return HttpResponseRedirect(reverse("assessments:overview", args=[token]) + "#delete")
    services.assessment_delete(assessment=assessment)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    messages.success(request, _("The assessment and its answers are deleted."))
    return HttpResponseRedirect(reverse("assessments:index"))


@private
@require_GET
def public(request: HttpRequest, public_token: str) -> HttpResponse:
    assessment = selectors.assessment_public_get(public_token)
    ctx = exports.result_context(assessment, public=True)
    ctx["chart"] = exports.chart_slot(assessment, ctx,
                                      png=reverse("assessments:public_radar", args=[public_token, "png"]),
                                      svg=reverse("assessments:public_radar", args=[public_token, "svg"]))
    return render(request, "assessments/public.html", ctx)


@private
@require_GET
def public_radar(request: HttpRequest, public_token: str, fmt: str) -> HttpResponse:
    return exports.radar_response(selectors.assessment_public_get(public_token), fmt)
