"""The simulation layer both studies share: gates, the patch re-uploading circuit layout,
its batched exact simulator (JAX) and the Keras layer that trains it.

Convention everywhere: qubit ``q`` is bit ``q`` of the basis-state index (qubit 0 is the
least significant bit, as in Qulacs); a batch of states is an array of shape
``(batch, 2**n)``; rotations are the standard ``exp(-i θ P / 2)``.
"""
