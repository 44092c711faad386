locals {
  environment = yamldecode(file("${var.directory}/${var.name}/environment.yaml"))
  catalog     = yamldecode(file("${var.directory}/models.yaml"))

  tier   = try(local.environment.tier, null)
  region = try(local.environment.region, null)
  # Prompts and answers in the model-invocation logs only where the environment turns them on.
  log_model_text = try(tobool(try(local.environment.log_model_text, false)), null)

  # The catalog's roles, with those the environment picks differently. A role names one model,
  # or a list of them (a picker whose first entry is the default).
  roles = merge(local.catalog.roles, try(coalesce(local.environment.models), {}))
  picks = { for role, pick in local.roles : role => flatten([pick]) }
  known = alltrue([
    for role, names in local.picks : length(names) > 0 && alltrue([for name in names : contains(keys(local.catalog.models), name)])
  ])
  # An unknown name leaves it empty; the models output's preconditions say what is wrong.
  models = try(merge(
    { for role, pick in local.roles : role => [for name in pick : local.catalog.models[name]] if !can(tostring(pick)) },
    { for role, pick in local.roles : role => local.catalog.models[pick] if can(tostring(pick)) },
  ), {})
  picked = try({ for name in distinct(flatten(values(local.picks))) : name => local.catalog.models[name] }, {})

  # What the stacks read; each of them fails its plan without it.
  roles_required = ["chat", "code_generation", "agent", "embedding", "review_sentiment", "rag", "batch", "invoke", "customization_base"]
  # Current Anthropic models are served on demand only through a cross-region inference profile,
  # and these roles' IAM is written for one.
  roles_on_profiles = ["chat", "code_generation", "agent", "review_sentiment"]
}
