"""Contract of ``mlflow.project_backend``: ``mlflow run --backend NAME`` and ``mlflow.projects.run(backend=NAME)``.

Subclass :class:`ProjectBackendContract` and provide the ``project_backend`` fixture (the backend instance; the
bundled suite builds it with ``mlflow.projects.backend.loader.load_backend(name)``)::

    class TestMyBackend(ProjectBackendContract):
        @pytest.fixture
        def project_backend(self):
            return MyBackend()

The clauses run a tiny local MLflow project (Python entry points, ``env_manager='local'``, no network) and call
``backend.run(...)`` exactly as ``mlflow.projects.run`` does: ``run(project_uri, entry_point, params, version,
backend_config, tracking_uri, experiment_id)`` with the ``backend_config`` keys MLflow fills in. The tracking store
is a private SQLite file per test class.
"""

from __future__ import annotations

from ..base import ContractBase, required_fixture
from ..shared.import_order import ImportOrderClauses
from .interface import InterfaceClauses
from .run import RunClauses

__all__ = ["ProjectBackendContract"]

_EXAMPLE = """    @pytest.fixture
    def project_backend(self):
        return MyBackend()"""


class ProjectBackendContract(InterfaceClauses, RunClauses, ImportOrderClauses, ContractBase):
    """Contract clauses for a project backend. Provide the ``project_backend`` fixture."""

    kind_key = "project_backend"
    target_fixture = "project_backend"

    project_backend = required_fixture("project_backend", "ProjectBackendContract", _EXAMPLE)

