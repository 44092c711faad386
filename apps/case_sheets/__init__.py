"""The Bedrock Agent action group that creates and looks up AWS Competency case sheets."""
