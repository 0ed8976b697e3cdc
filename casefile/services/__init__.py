"""Use cases over the case database: one short transaction per call, plain dataclasses out.

Every function takes the open ``Database`` first and keyword-only arguments after it.
"""
