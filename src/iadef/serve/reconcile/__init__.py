"""The OpenRefine reconciliation service of ``iadef serve`` (W3C Entity Reconciliation CG API 0.2).

:mod:`.index` reads what the service needs from the built graph, :mod:`.matching` scores
names and properties, :mod:`.service` answers the HTTP routes under ``/reconcile``.
"""
