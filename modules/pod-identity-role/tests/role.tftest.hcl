mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

variables {
  role_name       = "genai-dev-finetune-job"
  cluster_name    = "genai-dev"
  namespace       = "finetune"
  service_account = "finetune-job"
  policy_json     = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
}

run "role_for_one_service_account" {
  command = plan

  assert {
    condition     = aws_eks_pod_identity_association.this.namespace == "finetune" && aws_eks_pod_identity_association.this.service_account == "finetune-job" && aws_eks_pod_identity_association.this.cluster_name == "genai-dev"
    error_message = "The role is associated with exactly one service account of one namespace."
  }
  assert {
    condition     = one(data.aws_iam_policy_document.trust.statement[0].principals).identifiers == toset(["pods.eks.amazonaws.com"]) && aws_iam_role.this.assume_role_policy == data.aws_iam_policy_document.trust.json
    error_message = "Only EKS Pod Identity may assume the role."
  }
  assert {
    condition     = toset(data.aws_iam_policy_document.trust.statement[0].actions) == toset(["sts:AssumeRole", "sts:TagSession"])
    error_message = "Pod Identity needs TagSession besides AssumeRole (it tags the session with the pod's namespace and name)."
  }
  assert {
    condition     = output.policy_json == var.policy_json
    error_message = "The given policy is attached as is."
  }
}

run "role_under_the_boundary" {
  command = plan
  variables {
    permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-permissions-boundary"
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == var.permissions_boundary
    error_message = "The role carries the platform's permissions boundary."
  }
}

run "rejects_a_boundary_that_is_not_a_policy" {
  command = plan
  variables {
    permissions_boundary = "genai-dev-permissions-boundary"
  }
  expect_failures = [var.permissions_boundary]
}

run "no_policy" {
  command = plan
  variables {
    policy_json = null
  }

  assert {
    condition     = length(aws_iam_role_policy.this) == 0
    error_message = "Without a policy the role has no inline policy."
  }
}

run "rejects_a_bad_service_account" {
  command = plan
  variables {
    service_account = "Finetune_Job"
  }
  expect_failures = [var.service_account]
}

run "rejects_a_role_name_iam_refuses" {
  command = plan
  variables {
    role_name = "genai-dev-a-name-that-goes-on-and-on-past-the-sixty-four-characters-iam-allows"
  }
  expect_failures = [var.role_name]
}
