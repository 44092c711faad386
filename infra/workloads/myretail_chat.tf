# The MyRetail chatbot (apps/myretail_chat, Gradio): its Shopping tab calls the shopping API in
# the cluster; its Loyalty program tab converses with a Bedrock model of the catalog or with an
# OpenAI-compatible server (the fine-tuned model), which needs no AWS permission at all.

locals {
  loyalty_on_bedrock = var.loyalty_model.provider == "bedrock"
  loyalty_env = local.loyalty_on_bedrock ? tomap(merge(local.guardrail_env, {
    CHAT_MODELS = local.app_chat_models["myretail-chat"]
    })) : var.loyalty_model.provider == "served" ? tomap({
    OPENAI_BASE_URL = module.loyalty_model[0].base_url
    # The newest adapter the server lists (apps/genai_common/model_server.py, LATEST_ADAPTER):
    # a run hot-loaded with python -m finetune serve answers without a redeploy.
    OPENAI_MODEL = "latest-adapter"
    }) : tomap({
    OPENAI_BASE_URL = var.loyalty_model.openai_base_url
    OPENAI_MODEL    = var.loyalty_model.openai_model
  })
}
