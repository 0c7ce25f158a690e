# The app image (Python 3.11): Telegram bot, Rasa action server and counsellor console.
FROM python:3.11-slim
WORKDIR /app
COPY requirements/app.lock.txt requirements/app.lock.txt
RUN pip install --no-cache-dir -r requirements/app.lock.txt
COPY bot bot
COPY actions actions
COPY knowledge knowledge
COPY nlu_data nlu_data
COPY alembic.ini domain.yml ./
RUN useradd --create-home wegweiser && mkdir -p var && chown wegweiser var
USER wegweiser
