import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Class names joined, with later Tailwind utilities winning over earlier ones (`cn("px-2", big && "px-4")`). */
export function cn(...values: ClassValue[]): string {
  return twMerge(clsx(values));
}
