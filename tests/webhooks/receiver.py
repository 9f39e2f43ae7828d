"""The tests' receiver: the app's local receiver answering from a script
("fail" → 500, "slow" → after the sender's timeout, "ok" → 204; then 204)."""

from webhooks.receiver import LocalReceiver

ANSWERS = {"fail": 500, "slow": "slow", "ok": 204}


def Receiver(secret: str, script=(), slow_seconds: float = 2.0) -> LocalReceiver:  # noqa: N802
    steps = list(script)

    def answer(n: int):
        return ANSWERS[steps[n - 1]] if n <= len(steps) else 204

    return LocalReceiver(secret, answer=answer, slow_seconds=slow_seconds).start()
