"""One module per demo patient, holding everything about that person across
the apps: who they are and how far their journey has come (``PATIENT``), their
profile and plans, their week of monitoring, medicines, visits, equipment,
family support, next steps and, after a death, the bereavement follow-up.
``hearth.demo.seed`` tells them part by part.
"""
