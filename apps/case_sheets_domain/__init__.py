"""AWS Competency case sheets, shared by the agent's action-group Lambda and the agent
assistant's local forms: the case fields (:mod:`.fields`), the workbook (:mod:`.workbook`), the
store of records and sheets (:mod:`.store`) and the two actions (:mod:`.actions`)."""
