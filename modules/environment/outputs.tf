output "name" {
  description = "The environment's name."
  value       = var.name
}

output "tier" {
  description = "development or production: the rules that differ between environments follow it."
  value       = local.tier

  precondition {
    condition     = contains(["development", "production"], coalesce(local.tier, "none"))
    error_message = "${var.name}/environment.yaml: tier must be development or production."
  }
}

output "production" {
  description = "Whether the environment is of the production tier."
  value       = local.tier == "production"
}

output "region" {
  description = "The environment's AWS Region: every stack's and the state backend's."
  value       = local.region

  precondition {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", local.region))
    error_message = "${var.name}/environment.yaml: region must be an AWS Region code such as us-east-1."
  }
}

output "models" {
  description = "The environment's model for each role of the catalog (a list for the pickers chat and code_generation): label, model_id (what a request names: an inference profile or the model itself), foundation_model_id (the model behind it, for IAM) and, for embedding, dimensions."
  value       = local.models

  precondition {
    condition     = local.known
    error_message = "Every role of models.yaml and of ${var.name}/environment.yaml's models must name one or more models of the catalog."
  }
  precondition {
    condition     = length(setsubtract(local.roles_required, keys(local.roles))) == 0
    error_message = "The model roles ${join(", ", local.roles_required)} must all be declared (models.yaml roles)."
  }
  # The models the roles pick. Bedrock's identifiers: up to 140 characters; an inference profile id is <geo>.<foundation model id>.
  precondition {
    condition = alltrue([
      for name, m in local.picked : try(
        can(regex("^([a-z-]{2,6}\\.)?[a-z0-9-]+\\.[A-Za-z0-9.:-]+$", m.model_id)) && length(m.model_id) <= 140 &&
        can(regex("^[a-z0-9-]+\\.[A-Za-z0-9.:-]+$", m.foundation_model_id)) &&
        (m.model_id == m.foundation_model_id || endswith(m.model_id, ".${m.foundation_model_id}")),
        false
      )
    ])
    error_message = "Each model's model_id must be an inference profile id (<geo>.<provider>.<model>) or a foundation model id (<provider>.<model>) of at most 140 characters, and foundation_model_id the model behind it."
  }
  precondition {
    condition     = alltrue([for name, m in local.picked : length(try(m.label, "")) >= 1 && length(try(m.label, "")) <= 60])
    error_message = "Each model needs a label of 1-60 characters (what a model picker shows)."
  }
  precondition {
    condition = alltrue([
      for role in local.roles_on_profiles : alltrue([for m in try(flatten([local.models[role]]), []) : m.model_id != m.foundation_model_id])
    ])
    error_message = "The roles ${join(", ", local.roles_on_profiles)} must name inference profiles (<geo>.<provider>.<model>)."
  }
  precondition {
    condition     = try(local.models.embedding, null) == null || try(local.models.embedding.dimensions >= 1 && floor(local.models.embedding.dimensions) == local.models.embedding.dimensions, false)
    error_message = "The embedding model must state its dimensions (a whole number)."
  }
}

output "log_model_text" {
  description = "Whether Bedrock's model-invocation logs keep the prompts and answers (environment.yaml log_model_text); off unless the environment turns it on. Metadata is logged either way."
  value       = local.log_model_text

  precondition {
    condition     = local.log_model_text != null
    error_message = "${var.name}/environment.yaml: log_model_text must be true or false."
  }
}
