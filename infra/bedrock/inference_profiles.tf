# One application inference profile per app and per model of the roles it declares (`models` in
# apps/<package>/app.yaml): each app calls its own profile, so Bedrock's metrics, logs and the
# bill (cost-allocation tags App and Environment, activated in Billing) say which app spent what.
# The stacks that run the apps read the profiles from SSM.

locals {
  apps_dir = "${path.module}/../../apps"
  declared_apps = {
    for file in fileset(local.apps_dir, "*/app.yaml") :
    yamldecode(file("${local.apps_dir}/${file}")).name => yamldecode(file("${local.apps_dir}/${file}"))
  }
  metered_apps = { for name, app in local.declared_apps : name => app if length(try(app.models, [])) > 0 }

  app_models = merge([
    for name, app in local.metered_apps : {
      for m in distinct(flatten([for role in app.models : local.models[role]])) : "${name}/${m.model_id}" => {
        app   = name
        model = m
        # Bedrock's profile names: 1-64 letters and digits, single separators between them.
        profile_name = trim(substr(replace("${local.name}-${name}-${m.foundation_model_id}", "/[^0-9A-Za-z]+/", "-"), 0, 64), "-")
      }
    }
  ]...)

  account_id = data.aws_caller_identity.current.account_id
  region     = module.environment.region
}

data "aws_caller_identity" "current" {}

resource "aws_bedrock_inference_profile" "app" {
  for_each = local.app_models

  name        = each.value.profile_name
  description = "${each.value.app} in ${var.environment}: ${each.value.model.label}"
  # What the profile copies: the cross-region (system) profile the model is served through, or
  # the model itself where it is called directly.
  model_source {
    copy_from = (each.value.model.model_id == each.value.model.foundation_model_id
      ? "arn:aws:bedrock:${local.region}::foundation-model/${each.value.model.model_id}"
      : "arn:aws:bedrock:${local.region}:${local.account_id}:inference-profile/${each.value.model.model_id}"
    )
  }
  tags = merge(local.tags, { App = each.value.app })

  lifecycle {
    precondition {
      condition     = length(distinct([for p in local.app_models : p.profile_name])) == length(local.app_models)
      error_message = "Two apps' inference profiles would share a name: shorten the project or an app's name."
    }
  }
}

# Per app: the catalog's model id => the app's profile ARN and the model behind it (IAM's
# condition key bedrock:InferenceProfileArn and the clients' request shapes need both).
resource "aws_ssm_parameter" "inference_profiles" {
  for_each = local.metered_apps

  # checkov:skip=CKV2_AWS_34:ARNs are identifiers, not secrets.
  # checkov:skip=CKV_AWS_337:ARNs are identifiers, not secrets.
  name = "${local.ssm_prefix}/inference-profiles/${each.key}"
  type = "String"
  value = jsonencode({
    for key, p in local.app_models : p.model.model_id => {
      arn                 = aws_bedrock_inference_profile.app[key].arn
      foundation_model_id = p.model.foundation_model_id
    } if p.app == each.key
  })
}
