# vidgraph service image: API, workers, beat and dashboard (the same image, different commands).
FROM python:3.11-slim

# Pango for WeasyPrint (PDF reports); GL/GLib for OpenCV; curl for health checks
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libgl1 libglib2.0-0 curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY .streamlit .streamlit
COPY common common
COPY ingest ingest
COPY vlm vlm
COPY graph graph
COPY alerts alerts
COPY query query
COPY pipeline pipeline
COPY workers workers
COPY dashboard dashboard
COPY vidgraph vidgraph
# service, Neo4j driver and dashboard; local transformers VLMs need the local-vlm extra on a GPU image instead
RUN pip install --no-cache-dir -e '.[service,neo4j,dashboard]'

ENV VIDGRAPH_DATA_DIR=/data VIDGRAPH_VLM_DETECTOR_PATH=/models/centernet.onnx
VOLUME ["/data", "/media", "/models"]
EXPOSE 8000 8501
CMD ["vidgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
