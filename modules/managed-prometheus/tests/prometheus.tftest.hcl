mock_provider "aws" {
  override_during = plan
  source          = "../../tests/terraform-mocks/aws"
}

override_resource {
  target          = aws_prometheus_workspace.this
  override_during = plan
  values          = { arn = "arn:aws:aps:us-east-1:123456789012:workspace/ws-0123" }
}

variables {
  name                 = "genai-dev"
  cluster_name         = "genai-dev"
  cluster_arn          = "arn:aws:eks:us-east-1:123456789012:cluster/genai-dev"
  subnet_ids           = ["subnet-aaaa", "subnet-bbbb", "subnet-cccc"]
  security_group_ids   = ["sg-nodes"]
  permissions_boundary = "arn:aws:iam::123456789012:policy/genai-dev-boundary"
}

run "workspace_and_scraper" {
  command = plan

  assert {
    condition     = aws_prometheus_workspace.this.kms_key_arn == module.key.arn && aws_prometheus_workspace.this.alias == "genai-dev"
    error_message = "The workspace is encrypted with its own key."
  }
  assert {
    condition     = one(one(aws_prometheus_scraper.this.source).eks).cluster_arn == var.cluster_arn && one(one(aws_prometheus_scraper.this.source).eks).subnet_ids == toset(var.subnet_ids)
    error_message = "The scraper collects from the cluster's subnets."
  }
  assert {
    condition     = one(one(aws_prometheus_scraper.this.destination).amp).workspace_arn == aws_prometheus_workspace.this.arn
    error_message = "The scraper writes into the workspace."
  }
  assert {
    condition     = one(aws_prometheus_scraper.this.role_configuration).source_role_arn == aws_iam_role.source.arn && one(aws_prometheus_scraper.this.role_configuration).target_role_arn == aws_iam_role.target.arn
    error_message = "A customer-managed-key workspace is written through the role configuration."
  }
  assert {
    condition = (
      toset([for job in yamldecode(output.scrape_configuration).scrape_configs : job.job_name]) == toset(["dcgm-exporter", "vllm", "qdrant", "jupyterhub", "cadvisor", "kubelet"])
      && yamldecode(output.scrape_configuration).global.scrape_interval == "30s"
      && yamldecode(output.scrape_configuration).global.external_labels.cluster == "genai-dev"
    )
    error_message = "The rendered configuration scrapes the GPU exporter, vLLM, Qdrant, JupyterHub and the kubelets every 30 s."
  }
  assert {
    # The managed scraper accepts only kubernetes_sd_configs and the service account's token.
    condition = alltrue([for job in yamldecode(output.scrape_configuration).scrape_configs :
      length(job.kubernetes_sd_configs) == 1 && try(job.authorization.credentials_file, "/var/run/secrets/kubernetes.io/serviceaccount/token") == "/var/run/secrets/kubernetes.io/serviceaccount/token"
    ])
    error_message = "Every job discovers through the Kubernetes API and authenticates, if at all, with the service account token."
  }
  assert {
    condition     = aws_iam_role.source.permissions_boundary == var.permissions_boundary && aws_iam_role.target.permissions_boundary == var.permissions_boundary
    error_message = "The scraper's roles carry the permissions boundary."
  }
}

run "rejects_a_scrape_interval_under_30s" {
  command = plan

  variables {
    scrape_interval = "15s"
  }

  expect_failures = [var.scrape_interval]
}

run "rejects_a_single_subnet" {
  command = plan

  variables {
    subnet_ids = ["subnet-aaaa"]
  }

  expect_failures = [var.subnet_ids]
}

run "rejects_an_upper_case_name" {
  command = plan

  variables {
    name = "GenAI-dev"
  }

  expect_failures = [var.name]
}

run "rejects_a_cluster_name_for_its_arn" {
  command = plan

  variables {
    cluster_arn = "genai-dev"
  }

  expect_failures = [var.cluster_arn]
}

run "rejects_no_security_group" {
  command = plan

  variables {
    security_group_ids = []
  }

  expect_failures = [var.security_group_ids]
}
