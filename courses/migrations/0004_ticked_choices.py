"""Knowledge checks mark their right choice with a tick, as bank questions do:
each choice becomes {text, correct}; the typed number of the right choice goes.
Lessons and their revisions are converted; the reverse keeps the first ticked."""

import json
import uuid

import wagtail.fields
from django.db import migrations


def _items(choices):
    for item in choices:
        if isinstance(item, dict) and "type" in item and "value" in item:
            yield item.get("id") or str(uuid.uuid4()), item["value"]
        else:
            yield str(uuid.uuid4()), item


def _forward_block(value):
    if "answer" not in value:
        return value
    answer = value.pop("answer")
    value["choices"] = [
        {
            "type": "item",
            "id": item_id,
            "value": {
                "text": text if isinstance(text, str) else text.get("text", ""),
                "correct": number == answer,
            },
        }
        for number, (item_id, text) in enumerate(_items(value.get("choices", [])), 1)
    ]
    return value


def _backward_block(value):
    if "answer" in value:
        return value
    choices = list(_items(value.get("choices", [])))
    value["answer"] = next(
        (
            n
            for n, (_id, c) in enumerate(choices, 1)
            if isinstance(c, dict) and c.get("correct")
        ),
        1,
    )
    value["choices"] = [
        {
            "type": "item",
            "id": item_id,
            "value": c.get("text", "") if isinstance(c, dict) else c,
        }
        for item_id, c in choices
    ]
    return value


def _convert_stream(stream, convert):
    changed = False
    for block in stream or []:
        if block.get("type") == "knowledge_check" and isinstance(
            block.get("value"), dict
        ):
            block["value"] = convert(block["value"])
            changed = True
    return changed


def _run(apps, convert):
    ModulePage = apps.get_model("courses", "ModulePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for page in ModulePage.objects.all():
        stream = page.body.raw_data if hasattr(page.body, "raw_data") else page.body
        stream = json.loads(stream) if isinstance(stream, str) else list(stream)
        if _convert_stream(stream, convert):
            page.body = stream
            page.save(update_fields=["body"])
    content_type = ContentType.objects.filter(
        app_label="courses", model="modulepage"
    ).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        content = revision.content
        body = content.get("body")
        stream = json.loads(body) if isinstance(body, str) else body
        if isinstance(stream, list) and _convert_stream(stream, convert):
            content["body"] = json.dumps(stream) if isinstance(body, str) else stream
            Revision.objects.filter(pk=revision.pk).update(content=content)


def forward(apps, schema_editor):
    _run(apps, _forward_block)


def backward(apps, schema_editor):
    _run(apps, _backward_block)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_lesson_naming"),
    ]

    operations = [
        migrations.AlterField(
            model_name="modulepage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 0),
                    ("rich_text", 1),
                    ("image", 5),
                    ("video", 8),
                    ("code", 11),
                    ("callout", 15),
                    ("document", 18),
                    ("knowledge_check", 25),
                ],
                blank=True,
                block_lookup={
                    0: ("courses.blocks.HeadingBlock", (), {}),
                    1: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "bold",
                                "italic",
                                "code",
                                "link",
                                "ol",
                                "ul",
                                "h3",
                                "h4",
                            ],
                            "label": "Text",
                            "template": "courses/blocks/text.html",
                        },
                    ),
                    2: (
                        "wagtail.images.blocks.ImageChooserBlock",
                        (),
                        {"label": "image"},
                    ),
                    3: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Describe the image for people who cannot see it.",
                            "label": "alternative text",
                            "required": False,
                        },
                    ),
                    4: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "caption", "required": False},
                    ),
                    5: (
                        "wagtail.blocks.StructBlock",
                        [[("image", 2), ("alt_text", 3), ("caption", 4)]],
                        {},
                    ),
                    6: ("wagtail.embeds.blocks.EmbedBlock", (), {"label": "video URL"}),
                    7: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "bold",
                                "italic",
                                "code",
                                "link",
                                "ol",
                                "ul",
                                "h3",
                                "h4",
                            ],
                            "label": "transcript",
                            "required": False,
                        },
                    ),
                    8: (
                        "wagtail.blocks.StructBlock",
                        [[("video", 6), ("transcript", 7)]],
                        {},
                    ),
                    9: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("bash", "Shell"),
                                ("json", "JSON"),
                                ("yaml", "YAML"),
                                ("python", "Python"),
                                ("text", "Plain text"),
                                ("http", "HTTP"),
                                ("sql", "SQL"),
                                ("promql", "PromQL"),
                            ],
                            "label": "language",
                        },
                    ),
                    10: ("wagtail.blocks.TextBlock", (), {"label": "code"}),
                    11: (
                        "wagtail.blocks.StructBlock",
                        [[("language", 9), ("caption", 4), ("code", 10)]],
                        {},
                    ),
                    12: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {
                            "choices": [
                                ("tip", "Tip"),
                                ("warning", "Warning"),
                                ("note", "Note"),
                            ],
                            "label": "kind",
                        },
                    ),
                    13: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "title", "required": False},
                    ),
                    14: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": [
                                "bold",
                                "italic",
                                "code",
                                "link",
                                "ol",
                                "ul",
                                "h3",
                                "h4",
                            ],
                            "label": "text",
                        },
                    ),
                    15: (
                        "wagtail.blocks.StructBlock",
                        [[("kind", 12), ("title", 13), ("text", 14)]],
                        {},
                    ),
                    16: (
                        "wagtail.documents.blocks.DocumentChooserBlock",
                        (),
                        {"label": "document"},
                    ),
                    17: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "link text", "required": False},
                    ),
                    18: (
                        "wagtail.blocks.StructBlock",
                        [[("document", 16), ("label", 17)]],
                        {},
                    ),
                    19: ("wagtail.blocks.CharBlock", (), {"label": "question"}),
                    20: ("wagtail.blocks.CharBlock", (), {"label": "text"}),
                    21: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "correct", "required": False},
                    ),
                    22: (
                        "wagtail.blocks.StructBlock",
                        [[("text", 20), ("correct", 21)]],
                        {},
                    ),
                    23: (
                        "wagtail.blocks.ListBlock",
                        (22,),
                        {
                            "help_text": "Tick the right choice.",
                            "label": "choices",
                            "min_num": 2,
                        },
                    ),
                    24: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {"label": "explanation", "required": False},
                    ),
                    25: (
                        "wagtail.blocks.StructBlock",
                        [[("question", 19), ("choices", 23), ("explanation", 24)]],
                        {},
                    ),
                },
                verbose_name="content",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
