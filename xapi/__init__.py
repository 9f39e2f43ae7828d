"""xAPI 1.0.3 statements about people's learning, sent to learning record stores."""
