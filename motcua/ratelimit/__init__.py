"""Rate limits: counters shared by every server process (``store.py``), counted per client
address (``motcua/clientaddress.py``). The public look-up's rules are in
``motcua/dossiers/public_lookup.py``."""
