# Cluster, GPU and model-server metrics: Amazon Managed Service for Prometheus with its managed
# scraper (README, "Cluster and GPU metrics"). It lives here because the scraper is tied to the
# cluster and its subnets; what it scrapes is selected in modules/managed-prometheus's
# scrape-config.yaml.tftpl, and infra/workloads admits it through the NetworkPolicies.
module "prometheus" {
  source = "../../modules/managed-prometheus"

  name         = local.name
  cluster_name = module.eks_cluster.cluster_name
  cluster_arn  = module.eks_cluster.cluster_arn
  subnet_ids   = module.network.private_subnet_ids
  # The nodes' group: the control plane admits it on 443 (the kubelet and cAdvisor jobs go
  # through the API server's node proxy) and the nodes admit it on every pod port; the pods'
  # NetworkPolicies narrow that to their metrics ports.
  security_group_ids   = [module.eks_cluster.node_security_group_id]
  permissions_boundary = module.github_oidc.permissions_boundary_arn
  tags                 = local.tags
}

# Read by infra/workloads (NetworkPolicies admit the scraper's subnets) and by the smoke check.
resource "aws_ssm_parameter" "prometheus" {
  for_each = {
    "prometheus/workspace-id"   = module.prometheus.workspace_id
    "prometheus/query-endpoint" = module.prometheus.query_endpoint
    "prometheus/scraper-id"     = module.prometheus.scraper_id
    "prometheus/scraper-cidrs"  = join(",", module.network.private_subnet_cidrs)
  }

  # checkov:skip=CKV2_AWS_34:Ids, an endpoint and CIDRs are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:Ids, an endpoint and CIDRs are identifiers, not secrets.
  name  = "${local.ssm_prefix}/${each.key}"
  type  = "String"
  value = each.value
}
