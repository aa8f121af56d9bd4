"""The suite's Hypothesis strategies agree with MLflow's own validators.

A strategy that calls a name "invalid" which MLflow accepts makes a correct plugin fail (a false failure); one
that calls a name "valid" which MLflow rejects makes a correct plugin fail the round trips. Both are checked here
against ``mlflow.utils.validation``, the code every MLflow store calls.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mlflow.exceptions import MlflowException
from mlflow.utils.validation import _validate_metric, _validate_param, _validate_tag

from mlflow_plugin_conformance import strategies as ms

_MANY = settings(max_examples=3000, deadline=None, database=None)


def _mlflow_validators(key: str):
    return {
        "metric": lambda: _validate_metric(key, 1.0, 0, 0),
        "param": lambda: _validate_param(key, "v"),
        "tag": lambda: _validate_tag(key, "v"),
    }


@_MANY
@given(key=ms.valid_keys())
def test_every_generated_valid_key_is_accepted_by_mlflow(key):
    for validate in _mlflow_validators(key).values():
        validate()
    assert ms.is_valid_key(key)


@_MANY
@given(key=ms.invalid_keys())
def test_every_generated_invalid_key_is_rejected_by_mlflow_for_metrics_params_and_tags(key):
    for entity, validate in _mlflow_validators(key).items():
        with pytest.raises(MlflowException) as raised:
            validate()
        assert raised.value.error_code == "INVALID_PARAMETER_VALUE", entity
    assert not ms.is_valid_key(key)


@pytest.mark.parametrize("key", ["key\n", "a/b\n"])
def test_a_name_with_one_final_newline_is_valid_to_mlflow_and_never_generated_as_invalid(key):
    """MLflow's name pattern ends in ``$``, which matches before a final newline (found by CI: a correct store
    was failed for accepting '00/00/0000000\\n')."""
    for validate in _mlflow_validators(key).values():
        validate()
    assert ms.is_valid_key(key)


# -- model registry -----------------------------------------------------------------------------------------------

def _rejected(validate) -> bool:
    try:
        validate()
    except MlflowException as error:
        assert error.error_code == "INVALID_PARAMETER_VALUE", error
        return True
    return False


@_MANY
@given(name=ms.registered_model_names())
def test_every_generated_registered_model_name_is_accepted_by_mlflow(name):
    from mlflow.utils.validation import _validate_model_name

    assert not _rejected(lambda: _validate_model_name(name))


@_MANY
@given(name=ms.invalid_registered_model_names())
def test_every_generated_invalid_registered_model_name_is_rejected_by_mlflow(name):
    from mlflow.utils.validation import _validate_model_name

    assert _rejected(lambda: _validate_model_name(name))


@_MANY
@given(alias=ms.model_aliases())
def test_every_generated_alias_is_accepted_by_mlflow(alias):
    from mlflow.utils.validation import _validate_model_alias_name, _validate_model_alias_name_reserved

    assert not _rejected(lambda: _validate_model_alias_name(alias))
    assert not _rejected(lambda: _validate_model_alias_name_reserved(alias))


@_MANY
@given(alias=ms.reserved_model_aliases())
def test_every_generated_reserved_alias_is_rejected_by_mlflow(alias):
    from mlflow.utils.validation import _validate_model_alias_name_reserved

    assert _rejected(lambda: _validate_model_alias_name_reserved(alias))


@_MANY
@given(key=ms.registry_tag_keys(), value=ms.registry_tag_values())
def test_every_generated_registry_tag_is_accepted_by_mlflow(key, value):
    from mlflow.utils.validation import _validate_model_version_tag, _validate_registered_model_tag

    assert not _rejected(lambda: _validate_registered_model_tag(key, value))
    assert not _rejected(lambda: _validate_model_version_tag(key, value))


@pytest.mark.parametrize("name", ["..a", ".", "..", "a/b", "a:b", " ", ""])
def test_names_mlflow_refuses_are_not_valid_registered_model_names(name):
    from mlflow.utils.validation import _validate_model_name

    assert _rejected(lambda: _validate_model_name(name))
    assert not ms.is_valid_registered_model_name(name)


@_MANY
@given(name=st.text(st.sampled_from("./:a \n"), max_size=6))
def test_the_registered_model_name_predicate_agrees_with_mlflow(name):
    from mlflow.utils.validation import _validate_model_name

    assert ms.is_valid_registered_model_name(name) == (not _rejected(lambda: _validate_model_name(name)))


@_MANY
@given(key=st.text(st.sampled_from("./:a \n!é"), max_size=6))
def test_the_key_predicate_agrees_with_mlflow(key):
    assert ms.is_valid_key(key) == (not _rejected(lambda: _validate_tag(key, "v")))
