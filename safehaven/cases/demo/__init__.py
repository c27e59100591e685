"""Demo cases for `make demo`: the invented people and paths (``invented``) and the step that
opens and moves them through the real actions (``steps``, registered by ``CasesConfig.ready``)."""
