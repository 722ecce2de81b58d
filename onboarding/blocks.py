"""Blocks of onboarding modules: a customer's voice, a principle to acknowledge, and quizzes.

A module's lessons use the portal's blocks (portal/blocks.py: text, quote, do/don't, image,
video); what only onboarding has is here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from portal.blocks import BaseStreamBlock
from portal.principles.blocks import PublishedStoryChooserBlock


class NumberOfBlock(blocks.IntegerBlock):
    """A row of a model named by its number; refused when there is none."""

    def __init__(self, model: str, **kwargs):
        self.model_name = model
        super().__init__(**kwargs)

    def get_object(self, value):
        from django.apps import apps

        if not value:
            return None
        return apps.get_model(self.model_name).objects.filter(pk=value).first()

    def clean(self, value):
        value = super().clean(value)
        if value and self.get_object(value) is None:
            raise ValidationError(_("There is none with this number."))
        return value


class CustomerVoiceBlock(blocks.StructBlock):
    """A customer's own words from a published story, a concern or a feedback item (one of
    them), shown as the customer said them (masked as the portal masks them for everyone)."""

    story = PublishedStoryChooserBlock("stories.Story", label=_("Story"), required=False)
    # Concerns and feedback items are not snippets: they are chosen by the number in their
    # address on the portal, as the daily voice's pins are.
    concern = NumberOfBlock("stories.Concern", label=_("Concern number"), required=False)
    feedback = NumberOfBlock(
        "stories.FeedbackItem", label=_("Feedback item number"), required=False
    )
    lesson = blocks.TextBlock(label=_("What it teaches"), required=False, max_length=500)

    class Meta:
        icon = "openquote"
        label = _("Customer voice")
        template = "onboarding/blocks/customer_voice.html"

    def get_context(self, value, parent_context=None):
        """The words as everyone may read them: identifiers (emails, phone numbers) masked,
        a story's customer named only when they agreed (Story.shown_to_everyone)."""
        from stories.masking import mask_identifiers

        context = super().get_context(value, parent_context=parent_context)
        story = value.get("story")
        concern = self.child_blocks["concern"].get_object(value.get("concern"))
        feedback = self.child_blocks["feedback"].get_object(value.get("feedback"))
        words, language, link = "", "", ""
        if story is not None and story.live:
            shown = story.shown_to_everyone
            words, language, link = shown.customer_words, story.language, story.get_absolute_url()
        elif concern is not None:
            words = mask_identifiers(concern.title)
        elif feedback is not None:
            words, language = mask_identifiers(feedback.text), feedback.language
        context.update(words=words, words_language=language, link=link)
        return context

    def clean(self, value):
        value = super().clean(value)
        chosen = [name for name in ("story", "concern", "feedback") if value.get(name)]
        if len(chosen) != 1:
            raise StructBlockValidationError(
                non_block_errors=ValidationError(_("Choose one story, concern or feedback item."))
            )
        return value


class PrincipleToAcknowledgeBlock(blocks.StructBlock):
    """One of the company's CX principles: acknowledging it (there or here) counts here."""

    principle = blocks.PageChooserBlock(page_type="portal.PrinciplePage", label=_("Principle"))

    class Meta:
        icon = "tick-inverse"
        label = _("Principle to acknowledge")
        template = "onboarding/blocks/principle.html"


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("A right answer"), required=False)
    explanation = blocks.TextBlock(
        label=_("Why (shown after the answer)"), required=False, max_length=600
    )

    class Meta:
        icon = "radio-full"
        label = _("Answer")


SINGLE, MULTIPLE = "single", "multiple"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    kind = blocks.ChoiceBlock(
        choices=[(SINGLE, _("One right answer")), (MULTIPLE, _("Several right answers"))],
        default=SINGLE,
        label=_("Kind"),
    )
    answers = blocks.ListBlock(AnswerBlock(), label=_("Answers"), min_num=2, max_num=8)
    lesson_anchor = blocks.CharBlock(
        label=_("The lesson that teaches it"),
        required=False,
        max_length=100,
        help_text=_("The heading of the lesson a wrong answer points back to."),
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for answer in value["answers"] if answer["correct"])
        if right == 0:
            message = _("Mark at least one answer right.")
        elif value["kind"] == SINGLE and right != 1:
            message = _("A question with one right answer has exactly one marked right.")
        else:
            return value
        raise StructBlockValidationError(block_errors={"answers": ValidationError(message)})


class QuizBlock(blocks.StructBlock):
    """Questions with a pass mark; drawn at random from the bank when it holds more."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions (the bank)"), min_num=1)
    ask = blocks.IntegerBlock(
        label=_("Questions asked"),
        required=False,
        min_value=1,
        help_text=_("Draw this many at random from the bank; empty asks them all."),
    )
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"), default=80, min_value=1, max_value=100
    )
    retries = blocks.IntegerBlock(
        label=_("Attempts allowed"),
        default=3,
        min_value=1,
        max_value=20,
        help_text=_("After the last failed attempt, HR is told."),
    )

    class Meta:
        icon = "form"
        label = _("Quiz")

    def clean(self, value):
        value = super().clean(value)
        asked = value.get("ask")
        if asked and asked > len(value["questions"]):
            raise StructBlockValidationError(
                block_errors={
                    "ask": ValidationError(
                        _("Ask at most the %(count)s questions in the bank.")
                        % {"count": len(value["questions"])}
                    )
                }
            )
        return value


class ModuleBodyBlock(BaseStreamBlock):
    customer_voice = CustomerVoiceBlock()
    principle = PrincipleToAcknowledgeBlock()
    quiz = QuizBlock()
