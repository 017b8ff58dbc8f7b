import * as fs from "fs";
import * as path from "path";
import type { JobSources } from "../components/benchmark-job";

/** The benchmark job's Python files, as the program ships them into the job's container. */
export function readJobSources(jobsDirectory: string = __dirname): JobSources {
  const read = (file: keyof JobSources) => fs.readFileSync(path.join(jobsDirectory, file), "utf8");
  return {
    "weather_job.py": read("weather_job.py"),
    "generate_dataset.py": read("generate_dataset.py"),
    "run_benchmark.py": read("run_benchmark.py"),
  };
}
