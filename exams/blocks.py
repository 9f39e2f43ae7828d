"""The answer part of a question: one block, whose type is the question's type."""

from wagtail import blocks

from . import question_types


class AnswerBlock(blocks.StreamBlock):
    """One block per registered question type, in registration order; each type
    brings its own editor block (``QuestionType.editor_block_class``)."""

    def __init__(self, local_blocks=None, **kwargs):
        if local_blocks is None:
            local_blocks = [
                (question_type.code, question_type.editor_block())
                for question_type in question_types.all_types()
            ]
        super().__init__(local_blocks, **kwargs)

    class Meta:
        min_num = 1
        max_num = 1
