"""Views of the programme: applications, their review, support files and steering."""
