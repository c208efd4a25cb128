"""The form editor's notice: how many answers the form has and what editing its fields will do to them."""

from wagtail.admin.panels import Panel


class AnswersNoticePanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/answers_notice_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            from forms.models import FormVersion, Submission
            from forms.permissions import can_view_submissions

            context = super().get_context_data(parent_context)
            submissions = Submission.objects.filter(page_id=self.instance.pk)
            latest = FormVersion.objects.filter(page_id=self.instance.pk).order_by("-number").first()
            context.update(
                submitted=submissions.submitted().count(),
                drafts=submissions.drafts().count(),
                version=latest.number if latest else None,
                page_id=self.instance.pk,
                can_view=can_view_submissions(self.request.user),
            )
            return context
