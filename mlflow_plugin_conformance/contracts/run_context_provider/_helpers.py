"""What only the run-context-provider contract uses: MLflow's rules for run tags."""

from __future__ import annotations

import re

#: A valid MLflow tag key (``mlflow/utils/validation.py``).
TAG_KEY = re.compile(r"^[/\w.\- :]*$")
#: The longest run tag value MLflow stores.
MAX_TAG_VALUE = 8000
