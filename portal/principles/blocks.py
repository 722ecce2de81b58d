"""Blocks of principle pages: a real case from the stories, and the check question."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from portal.blocks import BaseStreamBlock


class PublishedStoryChooserBlock(SnippetChooserBlock):
    """A customer success story, only once it is published (the portal names the model by
    string: stories import the portal, never the reverse)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not getattr(value, "live", False):
            raise ValidationError(_("Choose a published story: this one is not published."))
        return value


class ExampleStoryBlock(blocks.StructBlock):
    story = PublishedStoryChooserBlock("stories.Story", label=_("Story"))
    why = blocks.TextBlock(label=_("How it shows the principle"), required=False, max_length=500)

    class Meta:
        icon = "pick"
        label = _("Example story")
        template = "portal/blocks/example_story.html"


class PrincipleBodyBlock(BaseStreamBlock):
    example_story = ExampleStoryBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=200)
    correct = blocks.BooleanBlock(label=_("The right answer"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Answer")


class CheckQuestionBlock(blocks.StructBlock):
    """One short question the reader answers before acknowledging, to show they understood."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Answers"), min_num=2, max_num=6)
    explanation = blocks.TextBlock(
        label=_("Shown after a wrong answer"),
        required=False,
        help_text=_("Point the reader back to the part of the page that answers it."),
    )

    class Meta:
        icon = "help"
        label = _("Check question")

    def clean(self, value):
        value = super().clean(value)
        choices = value.get("choices") or []
        right = sum(1 for choice in choices if choice.get("correct"))
        if len(choices) < 2 or right != 1:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("Give at least two answers and mark exactly one of them right.")
                    )
                }
            )
        return value


def check_question(stream) -> dict | None:
    """The page's check question as plain data (question, choices, right index), or None."""
    for block in stream or []:
        if block.block_type == "question":
            value = block.value
            choices = [str(choice["text"]) for choice in value["choices"]]
            right = next(
                (i for i, choice in enumerate(value["choices"]) if choice["correct"]), None
            )
            return {
                "question": str(value["question"]),
                "choices": choices,
                "right": right,
                "explanation": str(value.get("explanation") or ""),
            }
    return None
