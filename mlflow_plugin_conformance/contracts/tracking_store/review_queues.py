"""Review queues (level full, feature ``tracking_store.review_queues``): lists of traces waiting for human
labelling in the review app, each item pending, complete or declined. Each clause checks one behaviour as
MLflow's ``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import REVIEW_QUEUES, new_trace
from ._helpers import new_experiment


def _queue(store, experiment_id, name=None, users=("alice",)):
    return store.create_review_queue(experiment_id, name=name or unique_name("queue"), queue_type="custom",
                                     users=list(users))


def _status(item) -> str:
    return str(getattr(item.status, "value", item.status))


class ReviewQueueClauses:
    """Clauses of the ``tracking_store/review-queues/*`` family."""

    @clause("tracking_store/review-queues/create-get", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_create_get(self, tracking_store):
        """create_review_queue stores a queue; get_review_queue returns its experiment, name and users."""
        experiment_id = new_experiment(tracking_store)
        created = _queue(tracking_store, experiment_id, name="triage", users=("alice", "bob"))
        got = tracking_store.get_review_queue(created.queue_id)
        view = (got.experiment_id, got.name, sorted(got.users))
        assert view == (experiment_id, "triage", ["alice", "bob"]), f"review queue read back {view}"

    @clause("tracking_store/review-queues/get-by-name", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_get_by_name(self, tracking_store):
        """get_review_queue_by_name finds a queue by its experiment and name."""
        experiment_id = new_experiment(tracking_store)
        created = _queue(tracking_store, experiment_id, name="triage")
        assert tracking_store.get_review_queue_by_name(experiment_id, name="triage").queue_id == created.queue_id

    @clause("tracking_store/review-queues/duplicate-name", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_duplicate_name(self, tracking_store):
        """A second queue with the same name in one experiment is rejected with RESOURCE_ALREADY_EXISTS."""
        experiment_id = new_experiment(tracking_store)
        _queue(tracking_store, experiment_id, name="triage")
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a review queue with a taken name"):
            _queue(tracking_store, experiment_id, name="triage")

    @clause("tracking_store/review-queues/list-by-user", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_list_by_user(self, tracking_store):
        """list_review_queues(user=...) returns the experiment's queues that user is assigned to."""
        experiment_id = new_experiment(tracking_store)
        mine = _queue(tracking_store, experiment_id, users=("carol",)).queue_id
        _queue(tracking_store, experiment_id, users=("dave",))
        found = tracking_store.list_review_queues(experiment_id, user="carol")
        assert [q.queue_id for q in found] == [mine], f"queues of carol: {[q.name for q in found]}"

    @clause("tracking_store/review-queues/user-queue", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_user_queue(self, tracking_store):
        """get_or_create_user_queue creates a user's personal queue once and returns the same queue after."""
        experiment_id = new_experiment(tracking_store)
        first = tracking_store.get_or_create_user_queue(experiment_id, user="erin")
        second = tracking_store.get_or_create_user_queue(experiment_id, user="erin")
        assert first.queue_id == second.queue_id, "get_or_create_user_queue created a second queue"

    @clause("tracking_store/review-queues/update", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_update(self, tracking_store):
        """update_review_queue changes the name and users it is given."""
        created = _queue(tracking_store, new_experiment(tracking_store), name="old", users=("alice",))
        tracking_store.update_review_queue(created.queue_id, name="new", users=["alice", "bob"])
        got = tracking_store.get_review_queue(created.queue_id)
        assert (got.name, sorted(got.users)) == ("new", ["alice", "bob"]), f"after update: {(got.name, got.users)}"

    @clause("tracking_store/review-queues/delete", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_delete(self, tracking_store):
        """delete_review_queue removes the queue: get_review_queue then raises RESOURCE_DOES_NOT_EXIST."""
        created = _queue(tracking_store, new_experiment(tracking_store))
        tracking_store.delete_review_queue(created.queue_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted review queue"):
            tracking_store.get_review_queue(created.queue_id)

    @clause("tracking_store/review-queues/get-unknown", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_get_unknown(self, tracking_store):
        """get_review_queue of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown review queue"):
            tracking_store.get_review_queue("rq-" + uuid.uuid4().hex)

    @clause("tracking_store/review-queues/items-added-pending", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_items_added_pending(self, tracking_store):
        """add_items_to_review_queue puts traces in the queue; list_review_queue_items lists them as pending."""
        experiment_id = new_experiment(tracking_store)
        queue = _queue(tracking_store, experiment_id)
        traces = {new_trace(tracking_store, experiment_id) for _ in range(2)}
        tracking_store.add_items_to_review_queue(queue.queue_id, item_ids=sorted(traces))
        items = tracking_store.list_review_queue_items(queue.queue_id)
        assert sorted((i.item_id, _status(i)) for i in items) == sorted((t, "pending") for t in traces)

    @clause("tracking_store/review-queues/item-status", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_item_status(self, tracking_store):
        """set_review_queue_item_status marks an item complete; listing with status='complete' returns it
        alone."""
        experiment_id = new_experiment(tracking_store)
        queue = _queue(tracking_store, experiment_id)
        done, waiting = new_trace(tracking_store, experiment_id), new_trace(tracking_store, experiment_id)
        tracking_store.add_items_to_review_queue(queue.queue_id, item_ids=[done, waiting])
        tracking_store.set_review_queue_item_status(queue.queue_id, item_id=done, status="complete",
                                                    completed_by="alice")
        items = tracking_store.list_review_queue_items(queue.queue_id, status="complete")
        assert [i.item_id for i in items] == [done], f"complete items: {[i.item_id for i in items]}"

    @clause("tracking_store/review-queues/items-removed", level="full", feature=REVIEW_QUEUES, since="3.14")
    def test_review_queues_items_removed(self, tracking_store):
        """remove_items_from_review_queue takes items out of the queue and leaves the others."""
        experiment_id = new_experiment(tracking_store)
        queue = _queue(tracking_store, experiment_id)
        gone, kept = new_trace(tracking_store, experiment_id), new_trace(tracking_store, experiment_id)
        tracking_store.add_items_to_review_queue(queue.queue_id, item_ids=[gone, kept])
        tracking_store.remove_items_from_review_queue(queue.queue_id, item_ids=[gone])
        assert [i.item_id for i in tracking_store.list_review_queue_items(queue.queue_id)] == [kept]
