"""Quantum circuits of the book and the exact, batched simulators that run them.

Convention everywhere: qubit ``q`` is bit ``q`` of the basis-state index (qubit 0 is the
least significant bit, as in Qulacs); a batch of states is an array of shape
``(batch, 2**n)``; rotations are the standard ``exp(-i θ P / 2)``.
"""
