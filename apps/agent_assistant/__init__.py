"""Streamlit chat with the AWS Competency case-sheet agent (Bedrock InvokeAgent)."""
