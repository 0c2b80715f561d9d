// The 3-D view of a plane: the loss as a surface you rotate (drag) and zoom (wheel), colored
// like the heatmap, its contours on the floor, the runs, points and saddles on it in their
// verdict colors, and the training paths with the play step's dots. The only module that
// imports three.js: it is handed a slice and a theme, and gives back what was clicked.
import {
  AmbientLight,
  BackSide,
  BoxGeometry,
  BufferAttribute,
  BufferGeometry,
  CanvasTexture,
  Color,
  DirectionalLight,
  DoubleSide,
  EdgesGeometry,
  Float32BufferAttribute,
  Group,
  Line,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  PerspectiveCamera,
  Raycaster,
  Scene,
  SphereGeometry,
  Sprite,
  SpriteMaterial,
  SRGBColorSpace,
  Vector2,
  Vector3,
  WebGLRenderer,
  type Object3D,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { PlaneSlice } from '../../src/protocol/result';
import type { Theme } from '../charts/common';
import { lossContours } from './contours';
import type { ColorBy } from './geometry';
import { sampleAt } from './playback';
import { fittedDistance, type Vec3 } from './cameraFit';
import { FLOOR, HEIGHT, pathAlongSurface, surfaceMesh, type SurfaceMesh } from './surfaceMesh';
import { viridisAt } from './viridis';

/** The floor the contours are drawn on, just under the lowest loss. */
const MARKER_RADIUS = 0.035;
/** Each step of a path drawn as this many pieces, each lifted onto the surface. */
const PATH_SUBDIVISIONS = 8;

export interface SurfaceOptions {
  log: boolean;
  selected: string | null;
  theme: Theme;
  /** The play control's epoch (null: no dots). */
  epoch: number | null;
  /** The surface's colors: its loss, or |λmin/λmax| where the slice recorded it. */
  colorBy?: ColorBy;
  /** What the grid holds when it is not the loss: a smoothing, "L_σ, σ = 0.6". */
  valueName?: string;
}

/** What lies under the pointer: the nearest grid sample of the surface, and a marker if one is hit. */
export interface SurfaceHover {
  /** Pixel position in the canvas, for placing the readout. */
  px: number;
  py: number;
  x: number;
  y: number;
  loss: number | null;
  marker: { id: string; verdict: string } | null;
}

/** What the e2e test reads back: the dots drawn, in plane coordinates. */
export interface SurfaceState {
  dots: Array<{ id: string; sample: number; x: number; y: number }>;
}

export class SurfaceView {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer | null;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(40, 1, 0.05, 50);
  private readonly controls: OrbitControls | null;
  private content = new Group();
  private markers: Mesh[] = [];
  private pressedAt: { x: number; y: number } | null = null;
  state: SurfaceState = { dots: [] };

  private shownSlice: PlaneSlice | null = null;
  /** Each path's samples lifted onto the surface, for the play step's dots. */
  private pathPoints: Array<{ path: NonNullable<PlaneSlice['paths']>[number]; points: Vector3[] }> =
    [];
  private dots = new Group();
  private dotStyle: { selected: string | null; theme: Theme } | null = null;
  private surfaceObject: Object3D | null = null;
  /** The camera distance that fitted the scene at the last size (0: not fitted yet). */
  private fitted = 0;
  private nearestSample: SurfaceMesh['nearestSample'] | null = null;

  /**
   * `onSelect` is called with the id of a marker clicked (not dragged), `onHover` with what
   * is under the pointer (null when nothing is).
   */
  constructor(
    container: HTMLElement,
    private readonly onSelect: (id: string) => void,
    private readonly onHover: (hover: SurfaceHover | null) => void = () => undefined,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.id = 'surface-canvas';
    this.canvas.setAttribute(
      'aria-label',
      'Loss landscape surface (drag or arrow keys to rotate, wheel to zoom)',
    );
    container.append(this.canvas);
    this.renderer = createRenderer(this.canvas);
    this.camera.up.set(0, 0, 1);
    this.camera.position.set(2.7, -2.9, 2.4);
    this.scene.add(new AmbientLight(0xffffff, 1.6), directionalLight());
    this.scene.add(this.content);
    if (!this.renderer) {
      this.controls = null;
      return;
    }
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.target.set(0, 0, HEIGHT / 3);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.draw());
    this.canvas.addEventListener(
      'pointerdown',
      (e) => (this.pressedAt = { x: e.clientX, y: e.clientY }),
    );
    this.canvas.addEventListener('pointerup', (e) => this.click(e));
    this.canvas.addEventListener('pointermove', (e) => {
      if (e.buttons === 0) this.onHover(this.under(e));
    });
    this.canvas.addEventListener('pointerleave', () => this.onHover(null));
    // The keyboard turns it too: ← and → by 15°.
    this.canvas.tabIndex = 0;
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        this.rotate(((e.key === 'ArrowLeft' ? -1 : 1) * Math.PI) / 12);
      }
    });
    new ResizeObserver(() => this.resize()).observe(this.canvas);
  }

  /** False when the editor gives the panel no WebGL: the caller says so instead. */
  get available(): boolean {
    return this.renderer !== null;
  }

  show(slice: PlaneSlice, options: SurfaceOptions): void {
    if (!this.renderer) return;
    this.scene.remove(this.content);
    disposeTree(this.content);
    this.content = new Group();
    this.markers = [];
    this.state = { dots: [] };
    this.shownSlice = slice;
    this.surfaceObject = null;
    this.nearestSample = null;
    this.pathPoints = [];
    this.dotStyle = null;
    this.dots = new Group();
    this.content.add(this.dots);
    const mesh = surfaceMesh(slice, options.log, options.colorBy);
    if (mesh) this.build(slice, mesh, options);
    this.scene.add(this.content);
    this.renderer.setClearColor(new Color(options.theme.background), 1);
    this.resize();
  }

  /** Moves the play step's dots to `epoch` (null: none), leaving the rest of the scene as it is. */
  setEpoch(epoch: number | null): void {
    this.placeDots(epoch);
    this.draw();
  }

  private placeDots(epoch: number | null): void {
    disposeTree(this.dots);
    this.dots.clear();
    this.state = { dots: [] };
    if (epoch === null || !this.dotStyle) return;
    const { selected, theme } = this.dotStyle;
    for (const { path, points } of this.pathPoints) {
      const sample = sampleAt(path, epoch);
      const dot = sphere(path.id === selected ? 0.035 : 0.025, theme.series[1], theme.foreground);
      dot.position.copy(points[sample]);
      this.dots.add(dot);
      this.state.dots.push({ id: path.id, sample, x: path.x[sample], y: path.y![sample] });
    }
  }

  /** Turns the view about the vertical axis by `radians` (the e2e test's and keyboard's rotate). */
  rotate(radians: number): void {
    if (!this.controls) return;
    const offset = this.camera.position.clone().sub(this.controls.target);
    offset.applyAxisAngle(new Vector3(0, 0, 1), radians);
    this.camera.position.copy(this.controls.target).add(offset);
    this.controls.update();
    this.draw();
  }

  dispose(): void {
    disposeTree(this.content);
    this.controls?.dispose();
    this.renderer?.dispose();
    this.canvas.remove();
  }

  private build(slice: PlaneSlice, mesh: SurfaceMesh, options: SurfaceOptions): void {
    const { theme } = options;
    this.surfaceObject = surface(mesh, theme);
    this.nearestSample = mesh.nearestSample;
    this.content.add(this.surfaceObject, floorContours(slice, mesh, theme), frame(theme));
    const [xName, yName] = slice.axes ? [slice.axes.x, slice.axes.y] : ['α', 'β'];
    const ink = theme.foreground;
    this.content.add(
      label(xName, ink, theme, new Vector3(0, -1.25, FLOOR)),
      label(yName, ink, theme, new Vector3(-1.25, 0, FLOOR)),
      label(
        `${options.valueName ?? 'loss'}${options.log ? ' (log)' : ''}`,
        ink,
        theme,
        new Vector3(-1.1, -1.1, HEIGHT + 0.12),
      ),
    );
    const lift = (x: number, y: number, above = 0) => {
      const [bx, by] = mesh.toBox(x, y);
      return new Vector3(bx, by, (mesh.heightAt(x, y) ?? FLOOR) + above);
    };
    // Paths: on the surface above their projections, followed along it between samples.
    for (const path of slice.paths ?? []) {
      const mine = path.id === options.selected;
      const points = path.x.map((x, k) => lift(x, path.y![k], 0.012));
      const along = pathAlongSurface({ x: path.x, y: path.y! }, PATH_SUBDIVISIONS).map(([x, y]) =>
        lift(x, y, 0.012),
      );
      const material = new LineBasicMaterial({
        color: theme.series[1],
        transparent: !mine,
        opacity: mine ? 1 : 0.5,
      });
      this.content.add(new Line(new BufferGeometry().setFromPoints(along), material));
      this.pathPoints.push({ path, points });
    }
    this.dotStyle = { selected: options.selected, theme };
    this.placeDots(options.epoch);
    // Markers: filled on the plane, translucent when projected from off it.
    const span = Math.max(slice.x.at(-1)! - slice.x[0], slice.y.at(-1)! - slice.y[0]);
    for (const marker of slice.markers) {
      const selected = marker.id === options.selected;
      const onPlane = marker.distance <= 0.01 * span;
      const ball = sphere(
        selected ? 1.6 * MARKER_RADIUS : MARKER_RADIUS,
        theme.verdict[marker.verdict],
        selected ? theme.foreground : (theme.contrast ?? null),
        onPlane ? 1 : 0.45,
      );
      ball.position.copy(lift(marker.x, marker.y, 0.01));
      ball.userData.id = marker.id;
      this.markers.push(ball);
      this.content.add(ball);
    }
  }

  private click(event: PointerEvent): void {
    const pressed = this.pressedAt;
    this.pressedAt = null;
    if (!pressed || Math.hypot(event.clientX - pressed.x, event.clientY - pressed.y) > 4) return;
    const hit = this.raycaster(event).intersectObjects(this.markers, false)[0];
    if (hit) this.onSelect(hit.object.userData.id as string);
  }

  /** The marker or the grid sample under the pointer. */
  private under(event: PointerEvent): SurfaceHover | null {
    const slice = this.shownSlice;
    if (!slice || !this.surfaceObject) return null;
    const raycaster = this.raycaster(event);
    const marker = raycaster.intersectObjects(this.markers, false)[0];
    const hit = marker ?? raycaster.intersectObject(this.surfaceObject, true)[0];
    if (!hit) return null;
    const { i, j } = this.nearestSample!(hit.point.x, hit.point.y);
    const rect = this.canvas.getBoundingClientRect();
    const id = marker?.object.userData.id as string | undefined;
    return {
      px: event.clientX - rect.left,
      py: event.clientY - rect.top,
      x: slice.x[i],
      y: slice.y[j],
      loss: slice.loss[j][i],
      marker: id ? { id, verdict: slice.markers.find((m) => m.id === id)!.verdict } : null,
    };
  }

  private raycaster(event: PointerEvent): Raycaster {
    const rect = this.canvas.getBoundingClientRect();
    const pointer = new Vector2(
      ((event.clientX - rect.left) / rect.width) * 2 - 1,
      -((event.clientY - rect.top) / rect.height) * 2 + 1,
    );
    const raycaster = new Raycaster();
    raycaster.setFromCamera(pointer, this.camera);
    return raycaster;
  }

  private resize(): void {
    if (!this.renderer) return;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return;
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.fitCamera();
    this.draw();
  }

  /**
   * Moves the camera along its line of sight to where the whole scene fits the canvas (a
   * narrow panel needs it farther away). A zoom of the user's is kept, relative to the fit.
   */
  private fitCamera(): void {
    if (!this.controls) return;
    const target = this.controls.target;
    const offset = this.camera.position.clone().sub(target);
    const fit = fittedDistance(
      target.toArray() as Vec3,
      offset.clone().normalize().toArray() as Vec3,
      this.camera.up.toArray() as Vec3,
      this.camera.fov,
      this.camera.aspect,
    );
    const distance = this.fitted > 0 ? offset.length() * (fit / this.fitted) : fit;
    this.fitted = fit;
    this.camera.position.copy(target).add(offset.setLength(distance));
    this.controls.update();
    this.canvas.dataset.distance = distance.toFixed(3);
  }

  private draw(): void {
    this.renderer?.render(this.scene, this.camera);
    this.canvas.dataset.azimuth = this.controls ? this.controls.getAzimuthalAngle().toFixed(3) : '';
  }
}

function createRenderer(canvas: HTMLCanvasElement): WebGLRenderer | null {
  try {
    // preserveDrawingBuffer: Export PNG and screenshots read the canvas after drawing.
    return new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  } catch {
    return null;
  }
}

function directionalLight(): DirectionalLight {
  const light = new DirectionalLight(0xffffff, 1.4);
  light.position.set(1, -2, 3);
  return light;
}

/** The loss surface, viridis per vertex (shaded by the lights so its shape reads). */
function surface(mesh: SurfaceMesh, theme: Theme): Object3D {
  const geometry = new BufferGeometry();
  const positions = Float32Array.from(mesh.positions, (v) => (Number.isNaN(v) ? 0 : v));
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  const colors = new Float32Array(mesh.shades.length * 3);
  const color = new Color();
  mesh.shades.forEach((shade, k) => {
    const [r, g, b] = viridisAt(Number.isNaN(shade) ? 1 : shade);
    color.setRGB(r / 255, g / 255, b / 255, SRGBColorSpace);
    colors.set([color.r, color.g, color.b], 3 * k);
  });
  geometry.setAttribute('color', new BufferAttribute(colors, 3));
  geometry.setIndex(mesh.indices);
  geometry.computeVertexNormals();
  const group = new Group();
  group.add(new Mesh(geometry, new MeshLambertMaterial({ vertexColors: true, side: DoubleSide })));
  // High contrast: a wireframe in the border color, so the shape reads without the shading.
  if (theme.contrast)
    group.add(
      new LineSegments(
        new EdgesGeometry(geometry, 1),
        new LineBasicMaterial({ color: theme.contrast, transparent: true, opacity: 0.35 }),
      ),
    );
  return group;
}

/** The heatmap's contour levels, drawn as lines on the floor under the surface. */
function floorContours(slice: PlaneSlice, mesh: SurfaceMesh, theme: Theme): Object3D {
  // Grid coordinates to the box's [−1, 1].
  const bx = (gx: number) => (2 * gx) / (slice.x.length - 1) - 1;
  const by = (gy: number) => (2 * gy) / (slice.y.length - 1) - 1;
  const segments: number[] = [];
  for (const level of lossContours(slice, mesh.scale))
    for (const ring of level)
      for (let k = 1; k < ring.length; k++)
        segments.push(
          bx(ring[k - 1][0]),
          by(ring[k - 1][1]),
          FLOOR,
          bx(ring[k][0]),
          by(ring[k][1]),
          FLOOR,
        );
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(segments, 3));
  return new LineSegments(
    geometry,
    new LineBasicMaterial({ color: theme.contrast ?? theme.muted }),
  );
}

/** The box the surface stands in, so its height reads against something. */
function frame(theme: Theme): Object3D {
  const box = new BoxGeometry(2, 2, HEIGHT - FLOOR);
  box.translate(0, 0, (HEIGHT + FLOOR) / 2);
  return new LineSegments(
    new EdgesGeometry(box),
    new LineBasicMaterial({ color: theme.contrast ?? theme.grid }),
  );
}

function sphere(radius: number, color: string, outline: string | null, opacity = 1): Mesh {
  const ball = new Mesh(
    new SphereGeometry(radius, 16, 12),
    new MeshBasicMaterial({ color, transparent: opacity < 1, opacity }),
  );
  if (outline) {
    // A slightly larger back-facing shell: an outline that reads on any background.
    const shell = new Mesh(
      new SphereGeometry(radius * 1.3, 16, 12),
      new MeshBasicMaterial({ color: outline, side: BackSide }),
    );
    ball.add(shell);
  }
  return ball;
}

/** Text facing the camera, drawn on a canvas texture. */
function label(text: string, color: string, theme: Theme, at: Vector3): Sprite {
  const scale = 4;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d')!;
  const font = `${12 * scale}px ${theme.fontFamily}`;
  context.font = font;
  canvas.width = Math.ceil(context.measureText(text).width) + 8;
  canvas.height = 16 * scale;
  context.font = font;
  context.fillStyle = color;
  context.textBaseline = 'middle';
  context.fillText(text, 4, canvas.height / 2);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  const sprite = new Sprite(new SpriteMaterial({ map: texture, depthTest: false }));
  const height = 0.1;
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  sprite.position.copy(at);
  return sprite;
}

function disposeTree(root: Object3D): void {
  root.traverse((object) => {
    const withGeometry = object as Partial<Mesh>;
    withGeometry.geometry?.dispose();
    const material = (object as Partial<Mesh> | Partial<Sprite>).material;
    const materials = Array.isArray(material) ? material : material ? [material] : [];
    for (const m of materials) {
      (m as SpriteMaterial).map?.dispose();
      m.dispose();
    }
  });
}
