"""The bundled demo: a small news site on 127.0.0.1 and the `make run` walkthrough."""
