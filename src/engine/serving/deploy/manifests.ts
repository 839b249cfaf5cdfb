/** Kubernetes objects for one serving endpoint: Deployment, Service and HorizontalPodAutoscaler. */
export interface ManifestOptions {
  name: string;
  version: string;
  image: string;
  port: number;
  replicas: number;
  maxReplicas: number;
  cpuUtilization: number;
}

/** Kubernetes object names: lowercase RFC 1123 labels. */
export function k8sName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return cleaned || 'model';
}

export function manifests(o: ManifestOptions): { deployment: object; service: object; hpa: object } {
  const name = k8sName(o.name);
  const selector = { 'app.kubernetes.io/name': name };
  const labels = { ...selector, 'app.kubernetes.io/version': k8sName(o.version), 'app.kubernetes.io/component': 'model-serving', 'app.kubernetes.io/managed-by': 'slipway' };
  const scrape = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(o.port), 'prometheus.io/path': '/metrics' };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels, annotations: scrape },
        spec: {
          // Longer than the server's own 10 s drain, so requests in flight finish before the kubelet kills it.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'serve',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: o.port, protocol: 'TCP' }],
              env: [{ name: 'SLIPWAY_SERVE_TOKEN', valueFrom: { secretKeyRef: { name: `${name}-serve-token`, key: 'token', optional: true } } }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
              resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels, annotations: scrape },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: o.replicas,
      maxReplicas: o.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.cpuUtilization } } }],
    },
  };
  return { deployment, service, hpa };
}
