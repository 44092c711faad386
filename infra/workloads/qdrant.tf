# Qdrant, the vector database of the shopping assistant's catalog: one StatefulSet pod on gp3,
# snapshots on their own volume, API keys generated in the cluster (secrets.tf). Restores from S3 go through
# scripts/qdrant-snapshot, which refuses a snapshot from an incompatible Qdrant version.

locals {
  qdrant_namespace = "qdrant"
  # The Service the chart creates (fullnameOverride) and its REST port.
  qdrant_port = 6333
  qdrant_url  = "http://qdrant.${local.qdrant_namespace}.svc.cluster.local:${local.qdrant_port}"
}

resource "kubernetes_namespace_v1" "qdrant" {
  metadata {
    name = local.qdrant_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

resource "helm_release" "qdrant" {
  name       = "qdrant"
  namespace  = kubernetes_namespace_v1.qdrant.metadata[0].name
  repository = "https://qdrant.github.io/qdrant-helm"
  chart      = "qdrant"
  version    = var.qdrant_chart_version
  wait       = true
  timeout    = 600

  values = [templatefile("${path.module}/values/qdrant.yaml.tftpl", {
    node_selector = local.system_node_selector
    memory        = var.qdrant_memory
    storage_class = "gp3"
    storage_gib   = var.qdrant_storage_gib
    snapshot_gib  = var.qdrant_snapshot_storage_gib
    # The chart copies both keys from this Secret into Qdrant's config when it renders: the
    # reference makes the Secret exist first.
    api_key_secret = local.generated_secret["qdrant-api-key"]
  })]
}
