"""Reading a stack's SSM parameters: the path built from a project name, and a missing stack."""

from __future__ import annotations

import argparse

import boto3
import pytest
from genai_common.stacks import (
    StackNotApplied,
    check_environment,
    check_project,
    environment_name,
    stack_parameters,
)
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws


@given(st.text(max_size=20))
def test_a_project_is_a_clean_path_segment_or_refused(project: str) -> None:
    try:
        check_project(project)
    except ValueError as error:
        assert "is not a project name" in str(error)
        return
    assert 2 <= len(project) <= 12 and project == project.strip().lower()
    assert not set(project) & set("/.\n\r\t ")


def test_parameters_below_the_stack_path_and_a_clear_error_when_missing() -> None:
    with mock_aws():
        ssm = boto3.client("ssm", region_name="us-east-1")
        ssm.put_parameter(Name="/genai/dev/platform/cluster-name", Value="genai-dev", Type="String")
        ssm.put_parameter(Name="/genai/dev/platform/ecr/claude-chat", Value="repo", Type="String")
        values = stack_parameters(ssm, "genai", "dev", "platform", ("cluster-name",))
        assert values == {"cluster-name": "genai-dev", "ecr/claude-chat": "repo"}
        with pytest.raises(
            StackNotApplied, match="/genai/dev/bedrock/ lacks agent-id: apply the bedrock stack"
        ):
            stack_parameters(ssm, "genai", "dev", "bedrock", ("agent-id",))
        with pytest.raises(ValueError, match="is not a project name"):
            stack_parameters(ssm, "genai/../x", "dev", "platform", ())


@pytest.mark.parametrize("name", ["dev", "qa", "prod2", "staging"])
def test_an_environment_folder_name_is_accepted(name: str) -> None:
    assert check_environment(name) == name


@pytest.mark.parametrize("name", ["", "d", "Dev", "2dev", "dev/../x", "stagingx", "dev-1"])
def test_a_name_no_environment_folder_can_have_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not an environment name"):
        check_environment(name)
    with pytest.raises(argparse.ArgumentTypeError, match="2-7 lower-case"):
        environment_name(name)
