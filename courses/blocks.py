"""StreamField blocks for lesson bodies."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "code", "link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"
        label = _("Heading")


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image with caption")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"))
    transcript = blocks.RichTextBlock(
        label=_("transcript"), required=False, features=RICH_TEXT_FEATURES
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        label=_("language"),
        choices=[
            ("bash", "Shell"),
            ("json", "JSON"),
            ("yaml", "YAML"),
            ("python", "Python"),
            ("text", _("Plain text")),
            ("http", "HTTP"),
            ("sql", "SQL"),
            ("promql", "PromQL"),
        ],
        default="bash",
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)
    code = blocks.TextBlock(label=_("code"))

    class Meta:
        icon = "code"
        template = "courses/blocks/code.html"
        label = _("Code / CLI")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("note", _("Note"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"
        label = _("Callout")


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Document download")


class ChoiceBlock(blocks.StructBlock):
    """One choice of a question, ticked if it is right: the same widget for a
    lesson's knowledge check and a bank's choice questions."""

    text = blocks.CharBlock(label=_("text"))
    correct = blocks.BooleanBlock(label=_("correct"), required=False)


class KnowledgeCheckBlock(blocks.StructBlock):
    """One ungraded question; the learner gets feedback right after answering."""

    question = blocks.CharBlock(label=_("question"))
    choices = blocks.ListBlock(
        ChoiceBlock(),
        min_num=2,
        label=_("choices"),
        help_text=_("Tick the right choice."),
    )
    explanation = blocks.TextBlock(label=_("explanation"), required=False)

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check.html"
        label = _("Knowledge check")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for choice in value["choices"] if choice["correct"]) != 1:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(_("Tick exactly one right choice."))
                }
            )
        return value


class LessonBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        template="courses/blocks/text.html",
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    code = CodeBlock()
    callout = CalloutBlock()
    document = DocumentDownloadBlock()
    knowledge_check = KnowledgeCheckBlock()
