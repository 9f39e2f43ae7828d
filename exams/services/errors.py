"""What the attempt services refuse with: each error's text is a message for the learner."""


class ExamError(Exception):
    """The request cannot be honoured; ``str(error)`` is a message for the learner."""


class ExamNotAvailable(ExamError):
    pass


class RequirementsNotMet(ExamError):
    pass


class NoAttemptsLeft(ExamError):
    pass


class CoolingDown(ExamError):
    def __init__(self, message: str, available_at):
        super().__init__(message)
        self.available_at = available_at


class AttemptClosed(ExamError):
    pass


class BlueprintError(ExamError):
    """The exam's blueprint cannot be served (e.g. a bank has too few questions)."""
