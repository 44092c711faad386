# Credentials of in-cluster services, generated in the cluster by the local chart
# charts/generated-secrets at its first install and kept across upgrades: Terraform names them
# and says where they go, it never sees a value, so none is in a plan or in the state. Read one
# with kubectl (README: "JupyterHub", "Qdrant", "Serving a new run").

locals {
  generated_secrets = merge(
    {
      # Full access for the shopping API (it upserts the catalog); read-only for people
      # inspecting the collections. Qdrant's chart reads its copy; the shopping API reads genai's.
      "qdrant-api-key" = {
        namespaces = [kubernetes_namespace_v1.qdrant.metadata[0].name, kubernetes_namespace_v1.genai.metadata[0].name]
        keys       = { "api-key" = 48, "read-only-api-key" = 48 }
      }
      # The model server's key: clients (the chatbot, python -m finetune serve through a
      # port-forward) send it as a bearer token. It exists whether or not a model is served, so
      # the chatbot's reference to it always resolves.
      "loyalty-model-api-key" = {
        namespaces = [kubernetes_namespace_v1.genai.metadata[0].name]
        keys       = { "api-key" = 48 }
      }
    },
    # Development tier only (a variable validation refuses it elsewhere): one password for the
    # users on the allow list, a longer one for its admins (JupyterHub requires 8 and 32).
    local.cognito ? {} : {
      (local.jupyterhub_passwords_secret) = {
        namespaces = [kubernetes_namespace_v1.jupyterhub.metadata[0].name]
        keys       = { "user-password" = 24, "admin-password" = 40 }
      }
    },
  )

  # A Secret's name as the release that generates it lists it: whoever references one through
  # this map is created after it.
  generated_secret = { for name in keys(yamldecode(helm_release.generated_secrets.values[0]).secrets) : name => name }
}

resource "helm_release" "generated_secrets" {
  name  = "generated-secrets"
  chart = "${path.module}/charts/generated-secrets"
  # Helm keeps each release's rendered manifest, values included, in a Secret of the release's
  # namespace: kube-system, which only cluster administrators read.
  namespace = "kube-system"
  wait      = true
  # The two Secrets of genai that Terraform wrote before (removed below, not deleted) become the
  # release's. The model server's key keeps its value (read back from genai); the Qdrant keys are
  # read from Qdrant's namespace, where no copy existed: they are new, and the shopping API reads
  # the new one from its next rollout (every apply of a commit rolls it).
  take_ownership = true

  values = [yamlencode({ secrets = local.generated_secrets })]
}

# Terraform forgets the Secrets it used to write, without deleting them: the release adopts them,
# so the pods that read them never see them missing.
removed {
  from = kubernetes_secret_v1.shop_rag_qdrant
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_secret_v1.loyalty_model_api_key
  lifecycle {
    destroy = false
  }
}
