# The same tasks as tasks.py, for those who have make.
.PHONY: run test lint
run:
	python3 tasks.py run
test:
	python3 tasks.py test
lint:
	python3 tasks.py lint
