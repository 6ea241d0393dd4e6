"""Feature packages of the platform, one package and blueprint each.

These are Python modules of *code*. The learning modules that participants
read are *content*: they live in course packages under ``courses/`` and are
modelled as ``LearningModule`` in :mod:`modules.catalog.models`.
"""
