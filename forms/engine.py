"""What happens to answers: drafts, step validation with conditions, and the final submit.

The page view and the API both go through here, so the rules are the same everywhere:

* a step is checked on its own (types always; required fields when moving on or submitting);
* a field hidden by its condition must come empty: a value for it is refused, and answers to
  hidden fields are dropped from the draft;
* every write happens in a transaction on a locked row, after checking again at that moment that
  the form is open and the submission is still a draft;
* on submit the whole form is checked, one answer per person is enforced by the database, and the
  submission is frozen.
"""

import hashlib
from dataclasses import dataclass, field

from django import forms as django_forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.conditions import describe_condition, visible_field_ids
from forms.fields import FILE_CLEARED
from forms.models import Submission, SubmissionFile

ALREADY_SENT = gettext_lazy("Вы уже отправили ответ на эту форму: второй ответ не принимается.")


class Refusal(Exception):
    """The write is refused as a whole; ``status`` is the HTTP status to answer with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class StepResult:
    form: django_forms.Form
    errors: list = field(default_factory=list)  # [(item, message)]

    @property
    def ok(self):
        return not self.errors


class StepForm(django_forms.Form):
    """The fields of one step, named by block id."""

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[item.id] = item.form_field()


def required_message(item):
    return _("Отметьте согласие.") if item.kind == "consent" else _("Заполните это поле.")


def respondent_key_for(token):
    return hashlib.sha256(f"forms-respondent:{token}".encode()).hexdigest() if token else ""


def step_form(definition, step_index, submission=None, data=None, files=None):
    step = definition.steps[step_index]
    stored = submission.data if submission else {}
    initial = {item.id: item.block.to_initial(item.value, stored.get(item.id)) for item in step.fields}
    return StepForm(step.fields, data=data, files=files, initial=initial)


def _posted(value):
    """Whether a raw posted value holds anything (strings, lists, files, rows)."""
    if value is None or value is False or value in ("", FILE_CLEARED):
        return False
    if isinstance(value, dict):
        return any(_posted(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_posted(item) for item in value)
    return True


def check_step(definition, step_index, submission, data, files, *, complete):
    """Clean one step's posted answers. Returns the result and, when it is valid, the new answers and uploads."""
    step = definition.steps[step_index]
    form = step_form(definition, step_index, submission, data, files)
    form.full_clean()
    answers = dict(submission.data)
    uploads = {}
    for item in step.fields:
        if item.id not in form.cleaned_data:
            continue
        cleaned = form.cleaned_data[item.id]
        if item.kind == "file":
            if cleaned == FILE_CLEARED:
                answers.pop(item.id, None)
            elif cleaned is not None:
                uploads[item.id] = cleaned
                answers[item.id] = {"pending": True}
        elif item.kind == "consent" and cleaned and answers.get(item.id):
            pass  # keep the moment consent was first given
        else:
            answers[item.id] = item.block.to_storage(item.value, cleaned)
    visible = visible_field_ids(definition, answers)
    for item in step.fields:
        if item.id not in visible:
            if _posted(form[item.id].data):
                form.add_error(
                    item.id,
                    _("Это поле не заполняется при ваших ответах. %(rule)s Очистите его.")
                    % {"rule": describe_condition(definition, item)},
                )
            uploads.pop(item.id, None)
        elif complete and item.required and item.id not in form.errors and item.is_empty(answers.get(item.id)):
            form.add_error(item.id, required_message(item))
    result = StepResult(
        form=form,
        errors=[(definition.by_id[name], message) for name, messages in form.errors.items() for message in messages],
    )
    for hidden in definition.fields:  # this step's and earlier steps' answers that these answers hide
        if hidden.id not in visible:
            answers.pop(hidden.id, None)
    return result, answers, uploads


def missing_answers(definition, answers):
    """Required fields shown by these answers but left empty, in form order."""
    visible = visible_field_ids(definition, answers)
    return [
        item
        for item in definition.fields
        if item.id in visible and item.required and item.is_empty(answers.get(item.id))
    ]


def _locked_draft(submission):
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not locked.is_draft:
        raise Refusal(_("Этот ответ уже отправлен, изменить его нельзя."), status=409)
    return locked


def _ensure_open(page):
    message = page.closed_message(timezone.now())
    if message:
        raise Refusal(message, status=403)


def save_step(page, submission, step_index, data, files, *, user, complete, next_step=None):
    """Check a step and, when valid, store its answers and files in the draft. Returns the StepResult.

    ``submission`` may be a draft not saved yet (see ``draft_for``): it is written only with valid answers.
    ``next_step`` (a step index, or a function of the new answers giving one) becomes the furthest step reached.
    """
    definition = submission.version.form
    result, answers, uploads = check_step(definition, step_index, submission, data, files, complete=complete)
    if not result.ok:
        return result
    with transaction.atomic():
        _ensure_open(page)
        if submission.pk is None:
            submission.pk = start_draft(page, user=user, respondent_key=submission.respondent_key).pk
        locked = _locked_draft(submission)
        for field_id, upload in uploads.items():
            answers[field_id] = store_upload(locked, field_id, upload, user).stored_value()
        _drop_replaced_files(locked, answers)
        locked.data = answers
        if callable(next_step):
            next_step = next_step(answers)
        if next_step is not None:
            locked.current_step = next_step
        _save_with_author(locked, user)
    submission.refresh_from_db()
    return result


def submit(page, submission, *, user):
    """Check the whole saved draft again and freeze it. Raises Refusal, or returns the missing fields."""
    with transaction.atomic():
        _ensure_open(page)
        locked = _locked_draft(submission)
        missing = missing_answers(locked.version.form, locked.data)
        if missing:
            return missing
        _freeze(page, locked, user)
    submission.refresh_from_db()
    return []


def submit_step(page, submission, step_index, data, files, *, user):
    """The last step and the submit in one transaction. Returns the StepResult and the missing fields.

    When answers are missing elsewhere in the form, the step's answers are kept in the draft so nothing typed is
    lost. A new respondent's one-step answer is inserted already submitted: one row, one history record.
    """
    definition = submission.version.form
    result, answers, uploads = check_step(definition, step_index, submission, data, files, complete=True)
    if not result.ok:
        return result, []
    with transaction.atomic():
        _ensure_open(page)
        locked = _locked_draft(submission) if submission.pk else submission
        if uploads and locked.pk is None:
            _save_with_author(locked, user)  # stored files point to their submission
        for field_id, upload in uploads.items():
            answers[field_id] = store_upload(locked, field_id, upload, user).stored_value()
        locked.data = answers
        missing = missing_answers(definition, answers)
        if missing:
            if locked.pk:
                _drop_replaced_files(locked, answers)
            _save_with_author(locked, user)
        else:
            _freeze(page, locked, user)
    submission.pk = locked.pk
    submission.refresh_from_db()
    return result, missing


def _freeze(page, locked, user):
    """Keep only the answers of shown fields, mark the submission sent, and hold one answer per person."""
    visible = visible_field_ids(locked.version.form, locked.data)
    locked.data = {key: value for key, value in locked.data.items() if key in visible}
    if locked.pk:
        _drop_replaced_files(locked, locked.data)
    locked.status = Submission.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    if page.one_per_user:
        # The database constraint settles races; the query covers answers sent before the option was switched on.
        earlier = Submission.objects.submitted().filter(page_id=page.pk).of_respondent(user, locked.respondent_key)
        if earlier.exclude(pk=locked.pk).exists():
            raise Refusal(ALREADY_SENT, status=409)
        locked.unique_key = f"user:{user.pk}" if user is not None else f"anonymous:{locked.respondent_key}"
    try:
        with transaction.atomic():
            _save_with_author(locked, user)
    except IntegrityError:
        raise Refusal(ALREADY_SENT, status=409) from None


def draft_for(page, *, user, respondent_key):
    """The respondent's draft on the current form version, or a new one that is saved with its first valid step."""
    version = page.current_version()
    existing = Submission.objects.drafts().filter(page_id=page.pk).of_respondent(user, respondent_key).first()
    if existing:
        return move_to_version(existing, version)
    return Submission(page_id=page.pk, version=version, user=user, respondent_key="" if user else respondent_key)


def start_draft(page, *, user, respondent_key):
    """The respondent's draft of this form, created if there is none (one per person, by the database)."""
    draft = draft_for(page, user=user, respondent_key=respondent_key)
    if draft.pk:
        return draft
    try:
        with transaction.atomic():
            _save_with_author(draft, user)
            return draft
    except IntegrityError:
        return Submission.objects.drafts().filter(page_id=page.pk).of_respondent(user, respondent_key).get()


def move_to_version(draft, version):
    """A draft begun on an older form version continues on the current one; answers follow by field id."""
    if draft.version_id != version.pk:
        draft.version = version
        draft.current_step = min(draft.current_step, len(version.form.steps) - 1)
        draft.save(update_fields=["version", "current_step", "updated_at"])
    return draft


def store_upload(submission, field_id, upload, user):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = SubmissionFile(
        submission=submission,
        field_id=field_id,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    stored.file.save(upload.name, upload, save=False)
    stored.save()
    return stored


def _drop_replaced_files(submission, answers):
    """Files of a draft that no answer points to any more are deleted with their records."""
    kept = {value.get("file_id") for value in answers.values() if isinstance(value, dict) and "file_id" in value}
    for stale in submission.files.exclude(pk__in=[pk for pk in kept if pk]):
        name, storage = stale.file.name, stale.file.storage
        stale.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def _save_with_author(submission, user):
    submission._history_user = user
    submission.save()
