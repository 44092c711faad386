# Qdrant, the vector database of the shopping assistant's catalog: one StatefulSet pod on gp3,
# snapshots on their own volume, API keys generated here. Restores from S3 go through
# scripts/qdrant-snapshot, which refuses a snapshot from an incompatible Qdrant version.

locals {
  qdrant_namespace = "qdrant"
  # The Service the chart creates (fullnameOverride) and its REST port.
  qdrant_url = "http://qdrant.${local.qdrant_namespace}.svc.cluster.local:6333"
}

resource "kubernetes_namespace_v1" "qdrant" {
  metadata {
    name = local.qdrant_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
  }
}

# Full access for the shopping API (it upserts the catalog); read-only for people inspecting the
# collections (Web UI, notebooks) without the power to change them.
resource "random_password" "qdrant_api_key" {
  length  = 48
  special = false
}

resource "random_password" "qdrant_read_only_api_key" {
  length  = 48
  special = false
}

# Pods read a Secret only in their own namespace: the shopping API's copy of the key.
resource "kubernetes_secret_v1" "shop_rag_qdrant" {
  metadata {
    name      = "qdrant-api-key"
    namespace = kubernetes_namespace_v1.genai.metadata[0].name
  }
  data = {
    "api-key" = random_password.qdrant_api_key.result
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
  })]

  # The chart writes both keys into Qdrant's config Secret and rolls the pod when they change.
  set_sensitive = [
    { name = "apiKey", value = random_password.qdrant_api_key.result, type = "string" },
    { name = "readOnlyApiKey", value = random_password.qdrant_read_only_api_key.result, type = "string" },
  ]
}
