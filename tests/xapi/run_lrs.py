"""Starts Ralph's LRS (run with the LRS's own Python, not the project's).

Ralph 5.1's file-system backend writes with "create" semantics, so it stores the
first statement and refuses every later one ("already exists and overwrite is
not allowed"). The backend supports appending; this launcher makes append its
default before serving, and changes nothing else of the LRS.
Usage: run_lrs.py PORT
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run(
        "ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info"
    )
